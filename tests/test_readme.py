"""The README's set-up commands are the ones CI runs, and the packaging files agree."""

import re
import tomllib

import yaml

from conftest import REPO


def _readme_commands():
    text = (REPO / "README.md").read_text()
    block = re.search(r"```bash\n# 1\. install.*?\n(.*?)\n\n# 2\. run the tests\n(.*?)\n```", text, re.S)
    assert block, "README must keep the two set-up commands in one bash block"
    return block.group(1).strip(), block.group(2).strip()


def test_ci_runs_the_readme_commands_verbatim():
    install, test = _readme_commands()
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert install in ci and test in ci


def test_environment_yml_installs_the_package_with_the_same_extras():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    install, _ = _readme_commands()
    extras = re.search(r'-e "\.\[(.*?)\]"', install).group(1)
    assert f"-e .[{extras}]" in pip
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert set(extras.split(",")) <= set(project["optional-dependencies"])
    assert any(d.startswith("torch") for d in project["dependencies"])
