"""Validates every scenario file under a directory against its schema.json (JSON Schema draft 2020-12).

Usage: validate_schema.py SCENARIO_DIR. Prints one line per invalid file and a summary; exit 1 if any fails.
"""
import json
import pathlib
import sys

import jsonschema


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    schema = json.loads((root / "schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    passed = failed = 0
    for path in sorted(root.rglob("*.json")):
        if path.name == "schema.json":
            continue
        errors = sorted(validator.iter_errors(json.loads(path.read_text())), key=lambda e: list(e.path))
        if errors:
            failed += 1
            first = errors[0]
            print(f"{path}: $.{'.'.join(str(p) for p in first.path)}: {first.message}")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
