"""Where ../shared (the evaluation pages) is, for the training scripts.

Beside the repository, or beside the main checkout when this is a git
worktree elsewhere (as scripts/eval-cleaning.sh looks for it).
"""
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def find_shared():
    for cand in [REPO.parent / "shared", REPO.parent.parent / "shared"]:
        if (cand / "eval/cleaning").is_dir():
            return cand
    common = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--path-format=absolute",
                             "--git-common-dir"], capture_output=True, text=True).stdout.strip()
    return Path(common).parent.parent / "shared"
