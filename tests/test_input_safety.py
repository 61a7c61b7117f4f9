"""Reading a site's folders safely, and user mistakes as `path:line: error`: the walk, the size limit,
config errors with their line, a missing content folder, output folders that would eat the site."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.config import LimitsConfig, default_config_text, load_config
from briefgen.errors import ConfigError, Diagnostic, Severity, SourceError, SourceLocation
from briefgen.sources import read_file
from briefgen.sources.walk import walk_inside
from tests.conftest import Site


def _names(files: tuple[Path, ...], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in files]


def test_walk_follows_links_inside_and_reports_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "a/b").mkdir(parents=True)
    (root / "a/b/one.md").write_text("x")
    (root / ".hidden").mkdir()
    (root / ".hidden/secret.md").write_text("x")
    (tmp_path / "outside.md").write_text("x")
    (root / "inside-link").symlink_to("a/b")  # a folder inside: walked, once
    (root / "again").symlink_to("a")  # the same real folder a second time: reported, not walked twice
    (root / "a/b/up").symlink_to("..")  # back to an ancestor: a loop
    (root / "out.md").symlink_to("../outside.md")
    os.mkfifo(root / "pipe.md")
    walked = walk_inside(root, shown_root=tmp_path)
    assert _names(walked.files, root) == ["a/b/one.md"]  # each real folder is read once
    messages = {d.location.path if d.location else "": d.message for d in walked.diagnostics}
    assert "symlink to '../outside.md', outside content/" in messages["content/out.md"]
    assert "FIFO" in messages["content/pipe.md"]
    assert "loop" in messages["content/a/b/up"]
    assert "is read once" in messages["content/again"] and "is read once" in messages["content/inside-link"]
    assert all(d.severity is Severity.WARNING for d in walked.diagnostics)
    assert not any("hidden" in p.as_posix() for p in walked.files)


def test_a_symlinked_content_folder_is_read_through_its_link(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere/articles"
    real.mkdir(parents=True)
    (real / "a.md").write_text("x")
    (tmp_path / "content").symlink_to(real)
    walked = walk_inside(tmp_path / "content")
    assert [p.name for p in walked.files] == ["a.md"] and not walked.diagnostics


def test_a_huge_article_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(3 * 1024**3)  # 3 GB, sparse: reading it whole would take seconds and gigabytes
    started = time.process_time()
    with pytest.raises(
        SourceError, match=r"3,221,225,472 bytes, larger than limits.max_article_bytes \(2,000,000\)"
    ):
        read_file(huge, "content/huge.txt", max_bytes=LimitsConfig().max_article_bytes)
    assert time.process_time() - started < 0.5


def test_a_file_that_left_its_folder_since_it_was_listed_is_refused(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "secret.txt").write_text("outside")
    link = tmp_path / "content/a.md"
    link.symlink_to("../secret.txt")  # e.g. swapped in after discovery
    with pytest.raises(SourceError, match="no longer inside content/"):
        read_file(link, "content/a.md", inside=tmp_path / "content")


def test_article_size_limit_is_configurable(site: Site) -> None:
    site.write("briefgen.yml", "limits:\n  max_article_bytes: 550\n")
    site.write("content/2025-03-09-long.md", "---\ntitle: Long\n---\n" + "The board met. " * 60 + "\n")
    assert main(["build", "--site", str(site.root), "-q"]) == 1
    assert (site.root / "site/briefings/2025-03-01-dredging-plan/index.html").is_file()
    assert not (site.root / "site/briefings/2025-03-09-long").exists()


def test_config_errors_name_their_line(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    config = tmp_path / "briefgen.yml"
    config.write_text(
        "title: Desk\n\nsumary:\n  sentences: 3\nlimits:\n  article_seconds: -1\n  max_article_bytes: 0\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{config}:3: error: unknown key 'sumary' (did you mean 'summary'?)"
    assert lines[1].startswith(f"{config}:6: error: limits.article_seconds must be a number of seconds > 0")
    assert lines[2].startswith(
        f"{config}:7: error: limits.max_article_bytes must be a whole number of bytes >= 1"
    )


@pytest.mark.parametrize("base_url", ["http://[", "https://[::1/briefs/", "https://example.org:99999/"])
def test_a_base_url_that_is_no_url_is_a_config_error(tmp_path: Path, base_url: str) -> None:
    (tmp_path / "content").mkdir()
    config = tmp_path / "briefgen.yml"
    config.write_text(f"title: Desk\nbase_url: '{base_url}'\n")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert str(caught.value).startswith(f"{config}:2: error: base_url is not a URL, got {base_url!r} (e.g. ")


@pytest.mark.parametrize(
    ("output", "problem"),
    [
        (".", "must not be the site root"),
        ("..", "must not be the site root or a folder above it"),
        ("content", "must not contain or be content_dir"),
        ("content/site", "must not be inside content_dir"),
        ("templates", "must not contain or be templates_dir"),
        (".briefgen-cache", "must not contain or be cache_dir"),
    ],
)
def test_output_folders_that_would_replace_the_site_are_refused(
    tmp_path: Path, output: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "desk"
    (root / "content").mkdir(parents=True)
    (root / "briefgen.yml").write_text(f"title: Desk\noutput_dir: {output}\n")
    assert main(["build", "--site", str(root)]) == 2
    err = capsys.readouterr().err
    assert "briefgen.yml:2: error: output_dir" in err and problem in err
    assert sorted(p.name for p in root.iterdir()) == ["briefgen.yml", "content"]  # nothing written or removed


def test_a_folder_that_is_no_site_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--site", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no briefgen.yml and no content/ folder" in err and "briefgen init" in err
    assert list(tmp_path.iterdir()) == []


def test_a_missing_or_misspelt_content_folder_leaves_the_site_as_it_was(
    site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--site", str(site.root), "-q"]) == 0
    before = site.snapshot()
    site.write("briefgen.yml", "title: Desk\ncontent_dir: contnet\n")
    assert main(["build", "--site", str(site.root)]) == 2
    err = capsys.readouterr().err
    assert "briefgen.yml:2: error: content_dir 'contnet' is not a folder (did you mean 'content'?)" in err
    site.write("briefgen.yml", "title: Desk\n")
    (site.root / "content").rename(site.root / "contents")
    assert main(["build", "--site", str(site.root)]) == 2
    assert "content_dir 'content' is not a folder (did you mean 'contents'?)" in capsys.readouterr().err
    assert site.snapshot() == before
    assert main(["clean", "--site", str(site.root)]) == 0  # clean needs no content folder


def test_diagnostics_and_config_errors_escape_what_a_terminal_would_act_on() -> None:
    where = SourceLocation("content/a\nb\x1b[2J\udcff.md", 3)
    shown = str(Diagnostic(Severity.ERROR, "bad \x07 value\u202e", where))
    assert shown == "content/a\\nb\\x1b[2J\\xff.md:3: error: bad \\x07 value\\u202e"
    assert "\\n" in str(ConfigError("briefgen\n.yml", ["x"], [2]))


def test_init_documents_extra_and_limits() -> None:
    text = default_config_text()
    assert "keys of your own go under extra:" in text
    assert "limits:" in text and "max_article_bytes: 2000000" in text and "article_seconds: 10.0" in text


def test_static_files_and_templates_never_come_from_outside_their_folders(site: Site, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY-7f3a: outside the site\n")
    (site.root / "static").mkdir()
    (site.root / "static" / "notes.txt").symlink_to(secret)
    (site.root / "static" / "kept.css").write_text("p { color: teal; }\n")
    outside_template = tmp_path / "index.html"
    outside_template.write_text("CANARY-7f3a {{ site.title }}\n")
    (site.root / "templates").mkdir()
    (site.root / "templates" / "index.html").symlink_to(outside_template)
    run = site.build()
    assert run.returncode == 0, run.stderr
    assert "static/notes.txt" in run.stderr and "warning" in run.stderr  # named, not followed
    out = site.root / "site"
    assert (out / "static" / "kept.css").is_file()
    assert not (out / "static" / "notes.txt").exists()
    every_byte = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert b"CANARY-7f3a" not in every_byte
    assert b"<html" in (out / "index.html").read_bytes()  # the theme's index, not the outside one
