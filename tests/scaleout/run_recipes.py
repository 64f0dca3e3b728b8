"""Runs the scale-out recipes of docs/scale-out/ as shipped, on this machine, and checks the merged verdict.

Each recipe is read from its file (YAML through python3-yaml, the Bazel BUILD file by its attributes) and
its own command lines are run with the variables its scheduler would set, the shards one after another,
then `simsock explore merge`. The seed range is overridden (SEEDS) to keep the test short.

Usage: run_recipes.py RECIPE SIMSOCK DOCS_DIR SEEDS [extra...]
  k8s     SCHEMA     validate k8s-indexed-job.yaml against SCHEMA, run JOB_COMPLETION_INDEX=0..completions-1
  gitlab             run gitlab-ci.yml's `explore` job for CI_NODE_INDEX=1..parallel, then explore-merge
  github             run github-actions.yml's `explore` step for each matrix shard, then the `merge` step
  bazel              run bazel/explore_shard.sh for each of BUILD.bazel's shard_count shards, as Bazel would
  ctest   CMAKE CTEST  configure docs/scale-out/ctest and run it with ctest -j2
  doc     PAGE       PAGE (docs/scale-out.md) shows every file of DOCS_DIR verbatim (SIMSOCK and SEEDS unused)
Exit 0 when every check holds; 1 (with the reason) otherwise.
"""
import copy
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml

# Variables a surrounding scheduler or test runner may have set; a recipe sets its own.
SCHEDULER_VARIABLES = re.compile(r"^(GTEST_|SLURM_ARRAY_|JOB_COMPLETION_INDEX$|SIMSOCK_TOTAL_SHARDS$|CI_NODE_|TEST_SHARD|TEST_TOTAL)")


class CheckFailed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise CheckFailed(what)
    print(f"ok: {what}")


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not SCHEDULER_VARIABLES.match(k)}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run(argv, cwd, env, expect=0):
    p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if p.returncode != expect:
        print(p.stdout, p.stderr, sep="\n")
    check(p.returncode == expect, f"{' '.join(map(str, argv))[:150]} exits {expect}")
    return p.stdout


def bin_dir(simsock, work):
    """A directory with `simsock` in it, for recipes that call simsock from the PATH."""
    d = work / "bin"
    d.mkdir()
    (d / "simsock").symlink_to(simsock)
    return str(d)


def expect_exact(merge_output, seeds):
    first, last = (int(x) for x in seeds.split(".."))
    n = last - first + 1
    check(f"coverage: exact, {n} seeds each run once\n" in merge_output, f"merge says coverage exact, {n} seeds")
    check(merge_output.endswith(f"{n} passed, 0 failed\n"), f"merge says {n} passed, 0 failed")


def k8s_errors(schema, doc):
    return sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path))


def k8s(simsock, docs, seeds, schema_file):
    schema = json.loads(pathlib.Path(schema_file).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = yaml.safe_load((docs / "k8s-indexed-job.yaml").read_text())
    errors = k8s_errors(schema, doc)
    for e in errors:
        print(f"$.{'.'.join(map(str, e.path))}: {e.message}")
    check(not errors, "k8s-indexed-job.yaml is a valid batch/v1 Job by the schema")
    # The gate can fail: each of these breaks the Job and the schema must say so.
    breakers = {
        "completionMode NonIndexed": lambda d: d["spec"].__setitem__("completionMode", "NonIndexed"),
        "no completions": lambda d: d["spec"].pop("completions"),
        "a container without image": lambda d: d["spec"]["template"]["spec"]["containers"][0].pop("image"),
        "env value not a string": lambda d: d["spec"]["template"]["spec"]["containers"][0]["env"][1].__setitem__("value", 4),
        "kind Pod": lambda d: d.__setitem__("kind", "Pod"),
        "restartPolicy Always": lambda d: d["spec"]["template"]["spec"].__setitem__("restartPolicy", "Always"),
    }
    for name, breaker in breakers.items():
        broken = copy.deepcopy(doc)
        breaker(broken)
        check(k8s_errors(schema, broken), f"the schema rejects the manifest with {name}")
    spec = doc["spec"]
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    check(env["SIMSOCK_TOTAL_SHARDS"] == str(spec["completions"]), "SIMSOCK_TOTAL_SHARDS equals completions")
    argv = container["command"] + container.get("args", [])
    with tempfile.TemporaryDirectory(prefix="simsock-k8s-") as tmp:
        work = pathlib.Path(tmp)
        path = bin_dir(simsock, work) + os.pathsep + os.environ["PATH"]
        for index in range(spec["completions"]):
            run(argv, work, clean_env(**{**env, "SEEDS": seeds, "PATH": path, "JOB_COMPLETION_INDEX": index}))
        reports = sorted(str(p) for p in work.glob("shard-*.json"))
        check(len(reports) == spec["completions"], f"{spec['completions']} reports written")
        expect_exact(run([simsock, "explore", "merge", *reports], work, clean_env()), seeds)
        os.remove(reports[1])
        out = run([simsock, "explore", "merge", *reports[:1], *reports[2:]], work, clean_env(), expect=2)
        check(f"coverage: GAP: no report for shard 1/{spec['completions']}\n" in out, "without shard 1 merge names the gap")


def gitlab(simsock, docs, seeds):
    doc = yaml.safe_load((docs / "gitlab-ci.yml").read_text())
    job = doc["explore"]
    merge_job = next(j for j in doc.values() if isinstance(j, dict) and "explore" in j.get("needs", []))
    with tempfile.TemporaryDirectory(prefix="simsock-gitlab-") as tmp:
        work = pathlib.Path(tmp)
        variables = {**doc.get("variables", {}), "SEEDS": seeds, "PATH": bin_dir(simsock, work) + os.pathsep + os.environ["PATH"]}
        for node in range(1, job["parallel"] + 1):
            run(["sh", "-e", "-c", "\n".join(job["script"])], work,
                clean_env(**variables, CI_NODE_INDEX=node, CI_NODE_TOTAL=job["parallel"]))
        check(len(list(work.glob("shard-*.xml"))) == job["parallel"], "one JUnit file per parallel job")
        expect_exact(run(["sh", "-e", "-c", "\n".join(merge_job["script"])], work, clean_env(**variables)), seeds)
        check((work / "sweep.xml").read_text().count("<testcase") == 1, "sweep.xml has the one passing testcase")


def github(simsock, docs, seeds):
    doc = yaml.safe_load((docs / "github-actions.yml").read_text())
    job = doc["jobs"]["explore"]
    shards = job["strategy"]["matrix"]["shard"]
    step = next(s for s in job["steps"] if s.get("id") == "explore")
    merge_step = next(s for s in doc["jobs"]["merge"]["steps"] if s.get("id") == "merge")
    with tempfile.TemporaryDirectory(prefix="simsock-github-") as tmp:
        work = pathlib.Path(tmp)
        (work / "build" / "tools").mkdir(parents=True)
        (work / "build" / "tools" / "simsock").symlink_to(simsock)
        env = clean_env(**{**doc.get("env", {}), "SEEDS": seeds})
        for shard in shards:
            command = step["run"].replace("${{ matrix.shard }}", str(shard)).replace("${{ strategy.job-total }}", str(len(shards)))
            check("${{" not in command, "every expression of the explore step is known")
            run(["bash", "-e", "-c", command], work, env)
        expect_exact(run(["bash", "-e", "-c", merge_step["run"]], work, env), seeds)


def bazel(simsock, docs, seeds):
    build = (docs / "bazel" / "BUILD.bazel").read_text()
    shard_count = int(re.search(r"shard_count\s*=\s*(\d+)", build).group(1))
    script = docs / "bazel" / "explore_shard.sh"
    check(script.name in build, "BUILD.bazel runs explore_shard.sh")
    with tempfile.TemporaryDirectory(prefix="simsock-bazel-") as tmp:
        work = pathlib.Path(tmp)
        for i in range(shard_count):
            outputs = work / f"shard_{i + 1}_of_{shard_count}" / "test.outputs"
            outputs.mkdir(parents=True)
            status = work / f"status-{i}"
            # What Bazel's test runner sets: TEST_* from Bazel, GTEST_* exported by tools/test/test-setup.sh.
            run([str(script), seeds], work,
                clean_env(SIMSOCK=simsock, TEST_SHARD_INDEX=i, TEST_TOTAL_SHARDS=shard_count, GTEST_SHARD_INDEX=i,
                          GTEST_TOTAL_SHARDS=shard_count, TEST_SHARD_STATUS_FILE=status,
                          TEST_UNDECLARED_OUTPUTS_DIR=outputs))
            check(status.exists(), f"shard {i} touched TEST_SHARD_STATUS_FILE")
        reports = sorted(str(p) for p in work.glob("shard_*/test.outputs/shard-*.json"))
        expect_exact(run([simsock, "explore", "merge", *reports], work, clean_env()), seeds)


def ctest(simsock, docs, seeds, cmake, ctest_command):
    with tempfile.TemporaryDirectory(prefix="simsock-ctest-") as tmp:
        work = pathlib.Path(tmp)
        run([cmake, "-S", str(docs / "ctest"), "-B", str(work), f"-DSIMSOCK={simsock}", f"-DSEEDS={seeds}", "-DSHARDS=4"],
            work, clean_env())
        out = run([ctest_command, "--test-dir", str(work), "-j2", "--output-on-failure"], work, clean_env())
        check("100% tests passed, 0 tests failed out of 5" in out, "ctest ran 4 shards and the merge, all passed")
        reports = sorted(str(p) for p in work.glob("shard-*.json"))
        expect_exact(run([simsock, "explore", "merge", *reports], work, clean_env()), seeds)


def doc(simsock, docs, seeds, page):
    text = pathlib.Path(page).read_text()
    shown = dict(re.findall(r"<!-- file: (\S+) -->\n```[a-z]*\n(.*?)```\n", text, re.S))
    repo = docs.parent.parent
    files = sorted(str(p.relative_to(repo)) for p in docs.rglob("*") if p.is_file())
    for f in files:
        check(f in shown, f"{page} shows {f}")
        check(shown[f] == (repo / f).read_text(), f"{page} shows {f} as it is")
    check(sorted(shown) == files, f"{page} shows no file that is not under {docs.name}/")


def main():
    recipe, simsock, docs, seeds, *extra = sys.argv[1:]
    recipes = {"k8s": k8s, "gitlab": gitlab, "github": github, "bazel": bazel, "ctest": ctest, "doc": doc}
    try:
        recipes[recipe](str(pathlib.Path(simsock).resolve()), pathlib.Path(docs).resolve(), seeds, *extra)
    except CheckFailed as e:
        print(f"FAILED: {e}")
        return 1
    print(f"{recipe}: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
