"""The build as a user runs it: `briefgen build` (in-process, through `briefgen.cli.main`) over sites on
disk, and the build function itself where a test needs to reach inside (workers, gc)."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from briefgen.pipeline.state import STATE_NAME
from briefgen.render.search import varies_between_runs
from tests.conftest import REPO, Site, parse_html, run_briefgen


def test_builds_every_page_kind(site: Site) -> None:
    run = site.build("--base-url", "https://news.example.org/")
    assert run.returncode == 0, run.stderr
    out = site.root / "site"
    for rel in (
        "index.html",
        "briefings/2025-03-01-dredging-plan/index.html",
        "briefings/2025-03-04-dredging-survey/index.html",
        "days/2025-03-01/index.html",
        "tags/harbour/index.html",
        "feed.xml",
        "sitemap.xml",
        "pagefind/pagefind.js",
        "search/index.html",
        "robots.txt",
        "404.html",
        "static/style.css",
    ):
        assert (out / rel).is_file(), rel
    index = parse_html(site.out("index.html"))
    (story,) = index.find_all("article", class_="story-card")  # one story, covered twice
    assert "2 reports" in story.find(class_="coverage").text()
    reports = [a.text() for a in story.find_all("a") if a.attrs["href"].startswith("briefings/")]
    assert reports == ["Harbour dredging plan faces seabed survey"]  # the latest day's report
    assert "Traceback" not in run.stderr
    assert re.search(r"built: 2 briefings; pages \d+ written, 0 unchanged, 0 removed", run.stderr)


def test_briefing_page_shows_metadata_quotes_and_links(site: Site) -> None:
    assert site.build().returncode == 0
    page = parse_html(site.out("briefings/2025-03-01-dredging-plan/index.html"))
    assert page.find("h1").text() == "Ministers agree harbour dredging plan"
    assert page.find(class_="dateline").text() == "Portsea"
    assert "Ana Ruiz" in page.find(class_="author").text()
    assert page.find(class_="source").text().strip() == "The Coastal Post"
    speakers = [s.text() for s in page.find_all(class_="speaker")]
    assert "Tomas Halvorsen" in speakers
    related = [a.attrs["href"] for a in page.find(class_="related").find_all("a")]
    assert "../2025-03-04-dredging-survey/" in related
    body = page.find(class_="body").text()
    assert "Ministers on Friday agreed" in body
    assert "PORTSEA —" not in body  # the dateline is shown once, in the header


def test_summary_sentences_link_to_their_place_in_the_text(site: Site) -> None:
    assert site.build().returncode == 0
    page = parse_html(site.out("briefings/2025-03-01-dredging-plan/index.html"))
    anchors = [a.attrs["href"] for a in page.find(class_="summary").find_all("a")]
    assert anchors
    ids = {n.attrs.get("id") for n in page.iter()}
    for href in anchors:
        assert href.startswith("#") and href[1:] in ids


def _links(html_text: str) -> list[str]:
    page = parse_html(html_text)
    out = []
    for node in page.iter():
        for attr in ("href", "src"):
            value = node.attrs.get(attr)
            if value and not re.match(r"^[a-z]+:|^//|^#", value):
                out.append(value)
    return out


@pytest.mark.parametrize("base_url", ["/", "/briefs/today/", "https://example.org/desk/"])
def test_every_internal_link_resolves_on_disk(site: Site, base_url: str) -> None:
    site.write("briefgen.yml", f"base_url: {base_url!r}\n")
    assert site.build().returncode == 0
    out = site.root / "site"
    pages = list(out.rglob("*.html"))
    assert len(pages) > 8
    mount_path = urlsplit(base_url).path.strip("/")
    mount = f"/{mount_path}/" if mount_path else "/"
    for page in pages:
        rel_page = page.relative_to(out).as_posix()
        for link in _links(page.read_text(encoding="utf-8")):
            path = link.split("#")[0]
            if rel_page == "404.html":  # served at any depth: it links from the base path
                assert path.startswith(mount), f"404.html: {link!r} is not under {mount}"
                path = path.removeprefix(mount)
            else:
                assert not path.startswith("/"), f"{rel_page}: absolute link {link!r} breaks subpath hosting"
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel_page), path))
            assert not target.startswith(".."), f"{rel_page}: {link!r} leaves the site"
            resolved = out / target
            if link.split("#")[0].endswith("/") or resolved.is_dir():
                resolved = resolved / "index.html"
            assert resolved.is_file(), f"{rel_page}: broken link {link!r}"


def test_no_change_rebuild_writes_nothing_and_uses_the_cache(site: Site) -> None:
    assert site.build().returncode == 0
    files = [p for p in (site.root / "site").rglob("*") if p.is_file() and p.name != ".briefgen-files"]
    before = {p: p.stat().st_mtime_ns for p in files}
    report = json.loads(site.build("--json").stdout)
    assert report["pages"]["written"] == [] and report["pages"]["removed"] == []
    assert report["pages"]["unchanged"] == len(files)
    assert report["briefings"] == 2
    assert report["related"], "the report of a skipped build still says what is linked"
    # a new, unused template changes the inputs: the build runs, analysis comes from the cache
    site.write("templates/unused.html", "<p>not used</p>\n")
    report = json.loads(site.build("--json").stdout)
    assert report["pages"]["written"] == []
    assert report["cache_hits"] == 2
    after = {p: p.stat().st_mtime_ns for p in files}
    assert before == after
    fresh = json.loads(site.build("--json", "--no-cache").stdout)
    assert fresh["cache_hits"] == 0
    assert fresh["pages"]["written"] == []


def test_a_touched_output_folder_is_rebuilt_not_trusted(site: Site) -> None:
    assert site.build().returncode == 0
    page = site.root / "site/briefings/2025-03-01-dredging-plan/index.html"
    good = page.read_bytes()
    page.write_text("vandalised")
    (site.root / "site/tags/harbour/index.html").unlink()
    report = json.loads(site.build("--json").stdout)
    assert sorted(report["pages"]["written"]) == [
        "briefings/2025-03-01-dredging-plan/index.html",
        "tags/harbour/index.html",
    ]
    assert page.read_bytes() == good


def test_warnings_are_repeated_by_a_build_with_nothing_to_do(tmp_path: Path) -> None:
    s = Site(tmp_path / "s")
    s.write("content/undated.txt", "A short article without any date at all.\n")
    first = s.build()
    second = s.build()
    assert "warning: no date in front matter, file name or the text" in first.stderr
    assert "warning: no date in front matter, file name or the text" in second.stderr


def test_cache_entries_follow_content_and_settings(site: Site) -> None:
    assert site.build().returncode == 0
    site.write("briefgen.yml", "summary:\n  sentences: 1\n")
    report = json.loads(site.build("--json").stdout)
    assert report["cache_hits"] == 0  # summary length is an analysis setting
    page = parse_html(site.out("briefings/2025-03-01-dredging-plan/index.html"))
    assert len(page.find(class_="summary").find_all("li")) == 1


def test_deleted_article_pages_disappear(site: Site) -> None:
    assert site.build().returncode == 0
    (site.root / "content/2025-03-04-dredging-survey.md").unlink()
    run = site.build("--json")
    report = json.loads(run.stdout)
    assert "briefings/2025-03-04-dredging-survey/index.html" in report["pages"]["removed"]
    assert not (site.root / "site/briefings/2025-03-04-dredging-survey").exists()
    assert "dredging-survey" not in site.out("index.html")


def test_broken_template_leaves_previous_site_byte_for_byte(site: Site) -> None:
    assert site.build().returncode == 0
    before = site.snapshot()
    site.write(
        "templates/briefing.html", '{% extends "!theme/briefing.html" %}\n{% block summary %}{{ b.nope }\n'
    )
    site.write(
        "content/2025-03-05-new.md", "---\ntitle: New\ndate: 2025-03-05\n---\nA new article arrives.\n"
    )
    run = site.build()
    assert run.returncode == 1
    assert "templates/briefing.html:2: error: template error" in run.stderr
    assert "Traceback" not in run.stderr
    assert site.snapshot() == before
    assert not list(site.root.glob(".site.*"))  # the staging tree made while rendering is gone


def test_runtime_template_error_names_the_template(site: Site) -> None:
    assert site.build().returncode == 0
    before = site.snapshot()
    site.write(
        "templates/index.html",
        '{% extends "!theme/index.html" %}\n{% block listing %}\n{{ missing_value }}\n{% endblock %}\n',
    )
    run = site.build()
    assert run.returncode == 1
    assert re.search(r"templates/index\.html:3: error: template error: .*missing_value", run.stderr), (
        run.stderr
    )
    assert site.snapshot() == before
    assert not list(site.root.glob(".site.*"))


def test_site_template_overrides_and_extends_the_theme(site: Site) -> None:
    site.write(
        "templates/briefing.html",
        '{% extends "!theme/briefing.html" %}\n{% block related %}<p class="custom">Desk note</p>{{ super() }}{% endblock %}\n',
    )
    site.write("static/extra.css", "body{}")
    assert site.build().returncode == 0
    page = parse_html(site.out("briefings/2025-03-01-dredging-plan/index.html"))
    assert page.find(class_="custom").text() == "Desk note"
    assert page.find(class_="related")  # super() kept the original block
    assert page.find(class_="summary")  # other blocks untouched
    assert (site.root / "site/static/extra.css").read_text() == "body{}"


def test_two_articles_writing_one_page_is_an_error_naming_both(site: Site) -> None:
    site.write("content/2025-03-01-dredging-plan.txt", "Another article with the same name.\n")
    run = site.build()
    assert run.returncode == 1
    line = next(x for x in run.stderr.splitlines() if "would write" in x)
    assert "content/2025-03-01-dredging-plan.md" in line and "content/2025-03-01-dredging-plan.txt" in line
    assert (site.root / "site/briefings/2025-03-01-dredging-plan/index.html").is_file()


def test_drafts_only_with_the_flag(site: Site) -> None:
    site.write(
        "content/2025-03-06-draft.md",
        "---\ntitle: Secret plan\ndate: 2025-03-06\ndraft: true\n---\nNot yet.\n",
    )
    assert site.build().returncode == 0
    assert not (site.root / "site/briefings/2025-03-06-draft").exists()
    assert site.build("--drafts").returncode == 0
    assert (site.root / "site/briefings/2025-03-06-draft/index.html").is_file()


def test_front_matter_extras_reach_templates(site: Site) -> None:
    site.write(
        "content/2025-03-07-extra.md",
        "---\ntitle: Extra\ndate: 2025-03-07\nextra:\n  region: North Sea\n---\nText here.\n",
    )
    site.write(
        "content/2025-03-08-old-style.md",
        "---\ntitle: Old style\ndate: 2025-03-08\nregion: Baltic\nauthr: Jo\n---\nText here.\n",
    )
    site.write(
        "templates/briefing.html",
        '{% extends "!theme/briefing.html" %}{% block header %}<p class="region">{{ b.extra.region | default("") }}</p>{% endblock %}',
    )
    run = site.build()
    assert run.returncode == 0
    page = parse_html(site.out("briefings/2025-03-07-extra/index.html"))
    assert page.find(class_="region").text() == "North Sea"
    # a key of one's own at the top level still reaches templates, with a warning pointing to `extra:`
    page = parse_html(site.out("briefings/2025-03-08-old-style/index.html"))
    assert page.find(class_="region").text() == "Baltic"
    assert (
        "content/2025-03-08-old-style.md:4: warning: unknown front-matter key 'region' "
        "(keys of your own go under 'extra:')" in run.stderr
    )
    assert (
        "content/2025-03-08-old-style.md:5: warning: unknown front-matter key 'authr' (did you mean 'author'?)"
        in run.stderr
    )


def test_front_matter_summary_wins(site: Site) -> None:
    site.write(
        "content/2025-03-08-own-summary.md",
        "---\ntitle: Own\ndate: 2025-03-08\nsummary: The editor's own line.\n---\nFirst sentence here. Second one here.\n",
    )
    assert site.build().returncode == 0
    page = parse_html(site.out("briefings/2025-03-08-own-summary/index.html"))
    assert page.find(class_="summary").text().strip().startswith("Summary")
    assert "The editor's own line." in page.find(class_="summary").text()


def test_plain_text_without_front_matter_infers_title_date_and_byline(tmp_path: Path) -> None:
    s = Site(tmp_path / "s")
    s.write(
        "content/2025-02-20-wire.txt",
        """
        Ferry Strike Ends After Two Weeks

        By Mara Quint

        OSLO — The ferry strike that stranded thousands of commuters ended on Thursday after the union
        accepted a new pay offer from the operator.
        """,
    )
    assert s.build().returncode == 0
    page = parse_html(s.out("briefings/2025-02-20-wire/index.html"))
    assert page.find("h1").text() == "Ferry Strike Ends After Two Weeks"
    assert page.find("time").attrs["datetime"] == "2025-02-20"
    assert page.find(class_="dateline").text() == "Oslo"
    assert "Mara Quint" in page.find(class_="author").text()
    assert "By Mara Quint" not in page.find(class_="body").text()


def test_repository_sample_site_builds_cleanly(tmp_path: Path) -> None:
    copy = tmp_path / "repo-site"
    for name in ("content", "templates", "static"):
        shutil.copytree(REPO / name, copy / name)
    shutil.copy(REPO / "briefgen.yml", copy / "briefgen.yml")
    run = run_briefgen("build", "--site", str(copy))
    assert run.returncode == 0, run.stderr
    assert " 0 errors" in run.stderr
    warnings = [line for line in run.stderr.splitlines() if ": warning: " in line]
    assert warnings == []  # the modification-time fallback is shown by test_publish.py on a site of its own
    assert (copy / "site/static/desk.css").is_file()
    assert (
        "desk-note"
        in (
            copy / "site/briefings/2025-02-13-hegseth-says-us-is-not-abandoning-ukraine/index.html"
        ).read_text()
    )


def test_json_report_says_why_briefings_are_linked(site: Site) -> None:
    report = json.loads(site.build("--json").stdout)
    (link,) = report["related"]["2025-03-01-dredging-plan"]
    assert link["target"] == "2025-03-04-dredging-survey"
    assert link["direction"] == "later"
    assert link["shared"], "shared people, places or key terms explain the link"
    assert 0 < link["score"] <= 1


def _front_stories(site: Site) -> list[str]:
    index = parse_html(site.out("index.html"))
    return [h.text() for h in index.find_all("h2", class_="story-title")]


def test_front_page_is_a_digest_of_the_stories_of_its_window(site: Site) -> None:
    site.write(
        "content/2025-03-09-third.md",
        "---\ntitle: Tram fares frozen\ndate: 2025-03-09\n---\nA third article.\n",
    )
    assert site.build().returncode == 0
    assert _front_stories(site) == ["Tram fares frozen"]  # the latest day (the default window, 1d)
    more = parse_html(site.out("index.html")).find(class_="more")
    assert "3 briefings in 2 stories" in more.text()
    assert more.find("a").attrs["href"] == "days/"
    site.write("briefgen.yml", "digests:\n  window: 7d\n")
    assert site.build().returncode == 0
    front = _front_stories(site)  # the dredging story's latest report (4 March) is within 7 days of 9 March
    assert len(front) == 2 and front[0] != "Tram fares frozen"  # more coverage first
    site.write("briefgen.yml", "index_items: 1\ndigests:\n  window: 30d\n")
    assert site.build().returncode == 0
    assert len(_front_stories(site)) == 1


def test_linking_leaves_the_build_single_threaded_for_its_forks() -> None:
    """Render workers are forked after related linking has imported numpy: no BLAS threads may exist.

    A real process: numpy's thread pool is made once, when numpy is first imported, and this test
    process imported it long ago.
    """
    code = (
        "import briefgen.corpus.related as r\n"
        "r.prepare_linking(10**6)\n"
        "import numpy\n"
        "print(open('/proc/self/stat').read().rsplit(')', 1)[1].split()[17])\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "1"


@pytest.mark.slow  # four builds of the sample site, two of them forking workers: 2.5 s
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="worker processes need two cores")
def test_worker_processes_build_the_same_site_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Analysis and rendering in forked workers (results as cache blobs, pages placed while rendering)
    give the very bytes a single-process build gives, cold and again from the warm cache."""
    from briefgen import pipeline as build_module
    from briefgen.pipeline import BuildOptions
    from briefgen.pipeline import collect as _  # noqa: F401  (the modules, below)

    collect, emit = sys.modules["briefgen.pipeline.collect"], sys.modules["briefgen.pipeline.emit"]
    from briefgen.config import load_config

    monkeypatch.setattr(collect, "PARALLEL_MIN_FILES", 2)  # the sample site is small: use workers anyway
    monkeypatch.setattr(emit, "PARALLEL_MIN_PAGES", 2)

    def tree(folder: Path) -> dict[str, bytes]:
        found = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
        return {
            rel: path.read_bytes()
            for rel, path in found.items()
            # the record of what was written holds mtimes; Pagefind writes some files differently each run
            if rel != ".briefgen-files" and not varies_between_runs(rel)
        }

    built: dict[str, dict[str, bytes]] = {}
    for name, parallel in (("workers", True), ("one-process", False)):
        root = tmp_path / name
        for folder in ("content", "templates", "static"):
            shutil.copytree(REPO / folder, root / folder)
        shutil.copy(REPO / "briefgen.yml", root / "briefgen.yml")
        config = load_config(root / "briefgen.yml")
        cold = build_module.build(config, options=BuildOptions(parallel=parallel))
        assert cold.ok and cold.briefings >= 12, cold.diagnostics
        built[name] = tree(root / "site")
        shutil.rmtree(root / "site")
        (config.cache_dir / STATE_NAME).unlink()  # records come from the analysis store
        warm = build_module.build(config, options=BuildOptions(parallel=parallel))
        assert warm.ok and warm.cache_hits >= warm.briefings > 0  # (the cache also holds the draft)
        assert tree(root / "site") == built[name]
    assert len(built["workers"]) > 30
    assert built["workers"] == built["one-process"]


def test_jobs_1_forks_no_worker_and_builds_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--jobs 1` (for a shared or small machine) runs every stage in this process: no fork at all,
    even for a batch big enough for workers, and the very bytes of a build with workers."""
    from briefgen import pipeline as build_module
    from briefgen.pipeline import BuildOptions
    from briefgen.pipeline import collect as _  # noqa: F401  (the modules, below)

    collect, emit = sys.modules["briefgen.pipeline.collect"], sys.modules["briefgen.pipeline.emit"]
    from briefgen.config import load_config

    monkeypatch.setattr(collect, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(emit, "PARALLEL_MIN_PAGES", 2)
    forks: list[int] = []
    os.register_at_fork(before=lambda: forks.append(1))  # a real fork hook, not a stand-in
    trees = {}
    for jobs in (1, 2):
        root = tmp_path / f"jobs-{jobs}"
        for folder in ("content", "templates", "static"):
            shutil.copytree(REPO / folder, root / folder)
        shutil.copy(REPO / "briefgen.yml", root / "briefgen.yml")
        forks.clear()
        result = build_module.build(load_config(root / "briefgen.yml"), options=BuildOptions(jobs=jobs))
        assert result.ok, result.diagnostics
        assert (len(forks) == 0) == (jobs == 1), forks
        trees[jobs] = {
            p.relative_to(root / "site"): p.read_bytes()
            for p in (root / "site").rglob("*")
            if p.is_file()
            and p.name != ".briefgen-files"
            and not varies_between_runs(p.relative_to(root / "site").as_posix())
        }
    assert len(trees[1]) > 30 and trees[1] == trees[2]


def test_a_one_shot_build_collects_garbage_rarely_and_restores_the_collector(site: Site) -> None:
    """A CLI build keeps what it makes, so it raises the collector's threshold while it runs (its full
    passes over the growing heap found nothing); afterwards, and for a preview session, the
    process's own setting holds."""
    from briefgen.config import load_config
    from briefgen.pipeline import BuildOptions, BuildSession, build
    from briefgen.report import NullReporter

    class Watching(NullReporter):
        def __init__(self) -> None:
            self.seen: set[tuple[int, int, int]] = set()

        def progress(self, done: int, total: int) -> None:
            self.seen.add(gc.get_threshold())

    config = load_config(site.root / "briefgen.yml")
    before = gc.get_threshold()
    one_shot = Watching()
    assert build(config, reporter=one_shot).ok
    assert gc.get_threshold() == before
    assert len(one_shot.seen) == 1 and next(iter(one_shot.seen))[0] > before[0]
    preview = Watching()
    session = BuildSession(BuildOptions(use_cache=False), persistent=True)
    assert build(config, reporter=preview, session=session).ok
    assert preview.seen == {before}


def test_worker_count_follows_the_cpus_this_process_may_use() -> None:
    """By default one process per CPU the scheduler allows (a container or taskset may allow fewer
    than the machine has); an explicit count wins.

    A real process: it narrows its own CPU affinity, which would also narrow every later test's.
    """
    code = (
        "import os\n"
        "from briefgen.executor import worker_count, MAX_WORKERS\n"
        "print(worker_count(), worker_count(3), min(len(os.sched_getaffinity(0)), MAX_WORKERS))\n"
        "os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})\n"
        "print(worker_count(), worker_count(5))\n"
    )
    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("needs os.sched_setaffinity (Linux)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = (line.split() for line in run.stdout.splitlines())
    assert before[0] == before[2] and before[1] == "3"
    assert after == ["1", "5"]


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="worker processes need two cores")
def test_a_digest_template_failing_on_the_workers_keeps_the_last_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Digest pages render on workers while the links are worked out: a failure there still leaves
    site/ byte for byte, reports the template once, and leaves no worker, staging or trash behind."""
    from briefgen import pipeline as build_module
    from briefgen.pipeline import BuildOptions
    from briefgen.pipeline import collect as _  # noqa: F401  (the modules, below)

    collect, emit = sys.modules["briefgen.pipeline.collect"], sys.modules["briefgen.pipeline.emit"]
    from briefgen.config import load_config

    monkeypatch.setattr(collect, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(emit, "PARALLEL_MIN_PAGES", 2)
    root = tmp_path / "site-root"
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copy(REPO / "briefgen.yml", root / "briefgen.yml")
    config = load_config(root / "briefgen.yml")
    assert build_module.build(config, options=BuildOptions()).ok
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "templates" / "digest.html").write_text(
        '{% extends "!theme/digest.html" %}\n{% block content %}{{ digest.nope.deeper }}{% endblock %}\n'
    )
    result = build_module.build(config, options=BuildOptions())
    assert not result.ok and not result.committed
    errors = [d for d in result.diagnostics if "template error" in d.message]
    assert len(errors) == 1 and "digest.html" in str(errors[0])
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == before
    assert not [p for p in root.iterdir() if p.name.startswith(".site.")]
    assert multiprocessing.active_children() == []
