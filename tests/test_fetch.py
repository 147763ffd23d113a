"""`golfkit data fetch` is manifest-driven: it asks the hub for exactly the challenge's files.

No network in CI: huggingface_hub.hf_hub_download is replaced by a fake that serves files
from the offline copy of the challenge data (same manifest schema, same layout).
"""

import shutil
from pathlib import Path

import huggingface_hub
import pytest

from golfkit import dataprep
from golfkit.errors import GolfkitError


@pytest.fixture()
def fake_hub(data_dir, tmp_path, monkeypatch):
    asked = []

    def download(repo_id, filename, subfolder=None, repo_type=None, **kw):
        assert repo_id == "willdepueoai/parameter-golf" and repo_type == "dataset"
        remote = f"{subfolder}/{filename}" if subfolder else filename
        asked.append(remote)
        src = data_dir / Path(remote).relative_to("datasets")
        if not src.is_file():
            raise FileNotFoundError(remote)
        dst = tmp_path / "hub_cache" / remote
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        return str(dst)

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", download)
    return asked


def test_fetch_downloads_the_manifest_files_into_the_challenge_layout(fake_hub, tmp_path):
    report = dataprep.fetch("sp1024", 1, tmp_path / "data")
    assert fake_hub[0] == "datasets/manifest.json"
    assert "datasets/datasets/fineweb10B_sp1024/fineweb_val_000000.bin" in fake_hub
    assert "datasets/datasets/fineweb10B_sp1024/fineweb_train_000000.bin" in fake_hub
    assert "datasets/tokenizers/fineweb_1024_bpe.model" in fake_hub
    assert report["splits"]["val"]["tokens"] == 262_145 and report["splits"]["train"]["shards"] == 1
    # a second fetch finds everything in place and downloads nothing
    n = len(fake_hub)
    dataprep.fetch("sp1024", 1, tmp_path / "data")
    assert len(fake_hub) == n


def test_fetch_refuses_more_shards_than_the_manifest_has(fake_hub, tmp_path):
    with pytest.raises(GolfkitError, match="has only 1 training shards"):
        dataprep.fetch("sp1024", 5, tmp_path / "data")
    with pytest.raises(GolfkitError, match="not in the challenge manifest"):
        dataprep.fetch("sp999", 1, tmp_path / "data")
