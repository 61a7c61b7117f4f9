"""The watcher with real file events (inotify and polling): editors' saves, bursts, deletes, renames,
ignore rules, events during a rebuild; and incremental rebuilds equal to a full build."""

from __future__ import annotations

import os
import random
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest_serve import toy_build, wait_until, write_files

from briefgen.errors import ConfigError
from briefgen.render.search import varies_between_runs
from briefgen.serve.watch import Watcher, WatchPlan, is_editor_file, run_loop, sibling_of_output
from tests.conftest import REPO


@dataclass
class Recorder:
    """A real rebuild: runs the toy builder and remembers each batch it was given."""

    content: Path
    output: Path
    batches: list[frozenset[Path]] = field(default_factory=list)
    active: int = 0
    peak: int = 0
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, batch: frozenset[Path]) -> None:
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            self.batches.append(batch)
            if self.fail_next:
                self.fail_next -= 1
                raise RuntimeError("a rebuild that crashes")
            toy_build(self.content, self.output)
        finally:
            with self.lock:
                self.active -= 1

    @property
    def count(self) -> int:
        return len(self.batches)


@dataclass
class Rig:
    root: Path
    content: Path
    output: Path
    config: Path
    watcher: Watcher
    recorder: Recorder

    def quiet(self, builds: int, settle_s: float = 0.4) -> None:
        """Wait until `builds` rebuilds happened and then nothing more for `settle_s` (no extra builds)."""
        wait_until(lambda: self.recorder.count >= builds, timeout_s=10, what=f"{builds} builds")
        wait_until(lambda: not self.watcher.batcher.pending(), timeout_s=10, what="the queue to drain")
        time.sleep(settle_s)  # a negative check: give unwanted rebuilds the chance to show up

    def page(self, slug: str) -> str:
        path = self.output / slug / "index.html"
        return path.read_text() if path.exists() else ""


@pytest.fixture(params=["events", "polling"])
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    root = tmp_path / "site-root"
    content = root / "content"
    write_files(root, {"content/a.md": "first", "content/b.md": "bee", "briefgen.yml": "title: x\n"})
    output = root / "site"
    toy_build(content, output)
    plan = WatchPlan(
        trees=(content, root / "templates", root / "static"),
        files=(root / "briefgen.yml",),
        ignored=(output, root / ".briefgen-cache"),
    )
    watcher = Watcher(plan, poll=request.param == "polling")
    recorder = Recorder(content, output)
    stop = threading.Event()
    watcher.start()
    loop = threading.Thread(target=run_loop, args=(watcher, recorder), kwargs={"stop": stop}, daemon=True)
    loop.start()
    try:
        yield Rig(root, content, output, root / "briefgen.yml", watcher, recorder)
    finally:
        stop.set()
        watcher.stop()
        loop.join(timeout=5)
    assert not loop.is_alive()


def _vim_save(path: Path, text: str) -> None:
    """vim with 'backupcopy=no': probe file, swap file, original renamed to a backup, new file written."""
    probe = path.parent / "4913"
    probe.write_text("")
    probe.unlink()
    swap = path.parent / f".{path.name}.swp"
    swap.write_bytes(b"b0VIM 9.0")
    backup = path.with_name(path.name + "~")
    path.rename(backup)
    path.write_text(text)
    backup.unlink()
    swap.unlink()


def _rename_save(path: Path, text: str) -> None:
    """VS Code / gedit style: write a temporary file beside it, then rename it over the original."""
    tmp = path.parent / f".goutputstream-{os.getpid()}"
    tmp.write_text(text)
    tmp.replace(path)


def _jetbrains_save(path: Path, text: str) -> None:
    """JetBrains "safe write": the original becomes ___jb_old___, ___jb_tmp___ becomes the original."""
    tmp = path.with_name(path.name + "___jb_tmp___")
    old = path.with_name(path.name + "___jb_old___")
    tmp.write_text(text)
    path.rename(old)
    tmp.rename(path)
    old.unlink()


@pytest.mark.slow  # five saves, each followed by a quiet wait that no extra rebuild may break: 2.4-3 s
@pytest.mark.parametrize(
    "save", [_vim_save, _rename_save, _jetbrains_save], ids=["vim", "rename", "jetbrains"]
)
def test_each_editor_save_is_one_rebuild_with_the_new_text(rig: Rig, save: object) -> None:
    assert callable(save)
    for n in range(5):
        before = rig.recorder.count
        save(rig.content / "a.md", f"saved {n}")
        wait_until(lambda n=n: f"saved {n}" in rig.page("a"), timeout_s=10, what=f"save {n}")
        rig.quiet(before + 1)
        assert rig.recorder.count == before + 1, rig.recorder.batches[before:]
        assert rig.recorder.batches[-1] == {rig.content / "a.md"}


def test_editor_side_files_alone_never_rebuild(rig: Rig) -> None:
    c = rig.content
    (c / ".#a.md").symlink_to("user@host.1234:1700000000")  # emacs lock: a dangling symlink
    write_files(
        c, {"#a.md#": "x", "a.md~": "x", ".a.md.swp": "x", ".a.md.swx": "x", "4913": "", "x.tmp": "x"}
    )
    write_files(c, {".DS_Store": "x", "a.md___jb_tmp___": "x", ".git/HEAD": "ref", "__pycache__/x.pyc": "x"})
    for name in ("4913", "x.tmp", "#a.md#"):
        (c / name).unlink()
    time.sleep(1.2)  # a negative check: long enough for the polling observer to look twice
    assert rig.recorder.count == 0, rig.recorder.batches


def test_output_and_cache_changes_never_rebuild(rig: Rig) -> None:
    write_files(rig.output, {f"x{i}/index.html": "x" for i in range(50)})
    write_files(rig.root / ".briefgen-cache", {"v1/a.json": "{}"})
    write_files(rig.root, {"site.tmp-1-2/index.html": "x", "README.md": "not a source"})
    toy_build(rig.content, rig.output)
    time.sleep(1.2)  # a negative check, as above
    assert rig.recorder.count == 0, rig.recorder.batches


def test_a_burst_of_files_is_one_or_two_rebuilds(rig: Rig) -> None:
    write_files(rig.content, {f"n{i:03}.md": f"new {i}" for i in range(200)})
    wait_until(lambda: (rig.output / "n199/index.html").exists(), timeout_s=10, what="the last new page")
    rig.quiet(1)
    assert 1 <= rig.recorder.count <= 2
    assert rig.recorder.peak == 1


def test_rewrites_of_one_file_for_a_second_are_few_rebuilds(rig: Rig) -> None:
    target = rig.content / "a.md"
    deadline = time.monotonic() + 1.0
    n = 0
    while time.monotonic() < deadline:
        target.write_text(f"rewrite {n}")
        n += 1
    final = f"rewrite {n - 1}"
    wait_until(lambda: final in rig.page("a"), timeout_s=10, what="the final rewrite")
    rig.quiet(1)
    assert rig.recorder.count <= 3, f"{rig.recorder.count} builds for {n} writes"
    assert rig.recorder.peak == 1


def test_deletes_and_renames(rig: Rig) -> None:
    (rig.content / "b.md").unlink()
    wait_until(lambda: not (rig.output / "b").exists(), timeout_s=10, what="b's page to go")
    (rig.content / "a.md").rename(rig.content / "c.md")
    wait_until(lambda: not (rig.output / "a").exists(), timeout_s=10, what="the old page to go")
    assert (rig.output / "c/index.html").exists()
    index = (rig.output / "index.html").read_text()
    assert 'href="/a/' not in index and 'href="/b/' not in index and 'href="/c/' in index
    batch = rig.recorder.batches[-1]
    assert {rig.content / "a.md", rig.content / "c.md"} <= batch


def test_a_folder_renamed_and_a_folder_created_later(rig: Rig) -> None:
    sub = rig.content / "2024"
    write_files(sub, {"x.md": "x"})
    wait_until(
        lambda: any(sub / "x.md" in b for b in rig.recorder.batches), timeout_s=10, what="the new file"
    )
    sub.rename(rig.content / "archive")
    wait_until(lambda: any(rig.content / "archive" in b for b in rig.recorder.batches), timeout_s=10)
    templates = rig.root / "templates"
    templates.mkdir()
    wait_until(lambda: any(templates in b for b in rig.recorder.batches), timeout_s=10, what="templates/")
    count = rig.recorder.count
    (templates / "page.html").write_text("<p>{{ x }}</p>")
    wait_until(lambda: rig.recorder.count > count, timeout_s=10, what="a change in the new folder")
    assert any(templates / "page.html" in b for b in rig.recorder.batches[count:])


def test_config_saved_by_rename_is_seen(rig: Rig) -> None:
    _vim_save(rig.config, "title: y\n")
    wait_until(lambda: any(rig.config in b for b in rig.recorder.batches), timeout_s=10, what="the config")
    _rename_save(rig.config, "title: z\n")
    wait_until(lambda: sum(rig.config in b for b in rig.recorder.batches) >= 2, timeout_s=10)


def test_a_crashing_rebuild_does_not_stop_the_loop(rig: Rig) -> None:
    rig.recorder.fail_next = 3
    for n in range(4):
        before = rig.recorder.count
        (rig.content / "a.md").write_text(f"try {n}")
        wait_until(lambda before=before: rig.recorder.count > before, timeout_s=10, what=f"rebuild {n}")
        rig.quiet(before + 1, settle_s=0.1)
    wait_until(lambda: "try 3" in rig.page("a"), timeout_s=10, what="the good build")


def test_events_during_a_rebuild_make_exactly_one_follow_up(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_files(content, {"a.md": "a"})
    plan = WatchPlan(trees=(content,), files=(), ignored=(tmp_path / "site",))
    watcher = Watcher(plan)
    started = threading.Event()
    release = threading.Event()
    batches: list[frozenset[Path]] = []

    def slow_rebuild(batch: frozenset[Path]) -> None:
        batches.append(batch)
        if len(batches) == 1:
            started.set()
            release.wait(10)
        toy_build(content, tmp_path / "site")

    stop = threading.Event()
    watcher.start()
    loop = threading.Thread(target=run_loop, args=(watcher, slow_rebuild), kwargs={"stop": stop})
    loop.start()
    try:
        (content / "a.md").write_text("one")
        assert started.wait(10)
        (content / "a.md").write_text("two")  # arrives while the first rebuild runs
        (content / "b.md").write_text("bee")
        wait_until(watcher.batcher.pending, timeout_s=10, what="the events to be queued")
        time.sleep(0.2)  # let the burst go quiet while the rebuild is still busy
        release.set()
        wait_until(lambda: len(batches) >= 2, timeout_s=10, what="the follow-up")
        time.sleep(0.4)  # a negative check: no third build
        assert len(batches) == 2
        assert {content / "a.md", content / "b.md"} <= batches[1]
        assert "two" in (tmp_path / "site/a/index.html").read_text()
    finally:
        release.set()
        stop.set()
        watcher.stop()
        loop.join(timeout=5)


def test_ignore_rules() -> None:
    for name in ("a.md.swp", ".a.md.swp", ".a.md.swo", "a.md~", ".#a.md", "#a.md#", "x.tmp", "4913"):
        assert is_editor_file(name), name
    for name in ("a.md", "notes.txt", "4913.md", "style.css", "swp.md"):
        assert not is_editor_file(name), name
    out = Path("/s/site")
    assert sibling_of_output(Path("/s/site.tmp-3/index.html"), out)
    assert sibling_of_output(Path("/s/site.old"), out)
    assert not sibling_of_output(Path("/s/sites/index.html"), out)
    plan = WatchPlan(trees=(Path("/s/content"),), files=(Path("/s/briefgen.yml"),), ignored=(out,))
    assert plan.is_relevant(Path("/s/content/x/a.md"))
    assert plan.is_relevant(Path("/s/briefgen.yml"))
    assert not plan.is_relevant(Path("/s/README.md"))
    assert not plan.is_relevant(Path("/s/content/.git/index"))


# -- incremental rebuilds with the real build ---------------------------------------------------

BROKEN_ARTICLE = "---\ntitle: [unclosed\n---\n\nA body.\n"


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The site's pages (the writer's record of sizes and mtimes aside)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".briefgen-files"
    }


class RandomEditor:
    """Random edits, deletes, renames, additions, broken files, template and config changes on a site."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.content = root / "content"
        self.rng = random.Random(seed)
        self.counter = 0

    def articles(self) -> list[Path]:
        return sorted(
            p for p in self.content.iterdir() if p.suffix in (".md", ".txt") and "broken" not in p.name
        )

    def step(self) -> tuple[str, set[Path]]:
        ops = [self.edit, self.edit, self.retitle, self.delete, self.rename, self.add, self.add]
        ops += [self.break_one, self.fix_all, self.template, self.config, self.touch]
        op = self.rng.choice(ops)
        return op.__name__, op()

    def _pick(self) -> Path:
        return self.rng.choice(self.articles())

    def _sentences(self) -> str:
        other = self._pick().read_text(encoding="utf-8")
        lines = [
            line for line in other.splitlines() if len(line) > 60 and not line.startswith(("---", "title"))
        ]
        return "\n\n".join(self.rng.sample(lines, min(2, len(lines))))

    def edit(self) -> set[Path]:
        path = self._pick()
        path.write_text(
            path.read_text(encoding="utf-8") + "\n\n" + self._sentences() + "\n", encoding="utf-8"
        )
        return {path}

    def retitle(self) -> set[Path]:
        path = self._pick()
        self.counter += 1
        lines = path.read_text(encoding="utf-8").split("\n")
        titled = [i for i, line in enumerate(lines) if line.startswith("title:")]
        if lines[0] == "---" and titled:
            lines[titled[0]] = f'title: "Update {self.counter} on the story"'
        else:
            lines.insert(0, f"Update {self.counter} on the story\n")
        path.write_text("\n".join(lines), encoding="utf-8")
        return {path}

    def delete(self) -> set[Path]:
        if len(self.articles()) <= 4:
            return self.add()
        path = self._pick()
        path.unlink()
        return {path}

    def rename(self) -> set[Path]:
        path = self._pick()
        self.counter += 1
        new = path.with_name(f"{path.stem}-r{self.counter}{path.suffix}")
        path.rename(new)
        return {path, new}

    def add(self) -> set[Path]:
        source = self._pick()
        self.counter += 1
        day = 1 + self.rng.randrange(27)
        new = self.content / f"2025-02-{day:02}-added-{self.counter}.md"
        text = source.read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        new.write_text(
            f"---\ntitle: Added story {self.counter}\ndate: 2025-02-{day:02}\n---\n\n{body}\n",
            encoding="utf-8",
        )
        return {new}

    def break_one(self) -> set[Path]:
        self.counter += 1
        path = self.content / f"2025-03-0{1 + self.counter % 9}-broken-{self.counter}.md"
        path.write_text(BROKEN_ARTICLE, encoding="utf-8")
        return {path}

    def fix_all(self) -> set[Path]:
        broken = set(self.content.glob("*broken*"))
        for path in broken:
            path.unlink()
        template = self.root / "templates/index.html"
        if template.exists() and "nope" in template.read_text(encoding="utf-8"):
            template.unlink()
            broken.add(template)
        return broken

    def template(self) -> set[Path]:
        self.counter += 1
        if self.rng.random() < 0.3:  # a template that fails to compile: the last good site must stay
            path = self.root / "templates/index.html"
            path.write_text("{% extends '!theme/index.html' %}\n{% block nope %\n", encoding="utf-8")
            return {path}
        path = self.root / "templates/index.html"
        path.write_text(
            f"{{% extends '!theme/index.html' %}}\n{{# revision {self.counter} #}}\n"
            f"{{% block title %}}Desk {self.counter}{{% endblock %}}\n",
            encoding="utf-8",
        )
        return {path}

    def config(self) -> set[Path]:
        self.counter += 1
        path = self.root / "briefgen.yml"
        lines = [
            line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("title:")
        ]
        path.write_text("\n".join([f'title: "Desk {self.counter}"', *lines]) + "\n", encoding="utf-8")
        return {path}

    def touch(self) -> set[Path]:
        path = self._pick()
        os.utime(path)
        return {path}


def _copy_sample_site(dest: Path) -> None:
    shutil.copytree(REPO / "content", dest / "content")
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copy(REPO / "briefgen.yml", dest / "briefgen.yml")


def _reproducible(files: dict[str, bytes]) -> dict[str, bytes]:
    """Without the search files that Pagefind writes differently from run to run for the same pages."""
    return {rel: data for rel, data in files.items() if not varies_between_runs(rel)}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_rebuilds_equal_a_full_build(tmp_path: Path, seed: int) -> None:
    from briefgen.config import load_config
    from briefgen.pipeline import BuildOptions, build
    from briefgen.serve import LiveSite
    from briefgen.serve.reload import Publication

    root = tmp_path / "site-root"
    _copy_sample_site(root)
    config_path = root / "briefgen.yml"
    live = LiveSite(
        load_config(config_path, root=root),
        lambda: load_config(config_path, root=root),
        Publication(),
        quiet=True,
    )
    live.build_all()
    assert live.last is not None and live.last.committed
    editor = RandomEditor(root, seed)
    compared = 0
    for step in range(30):
        assert live.search.done.wait(60)  # the preview's search index follows its pages
        before = _reproducible(_snapshot(live.config.output_dir))
        name, changed = editor.step()
        live.rebuild(frozenset(changed))
        assert live.search.done.wait(60)
        full_dir = tmp_path / f"full-{step}"
        try:
            full_config = load_config(config_path, root=root, overrides={"output_dir": str(full_dir)})
        except ConfigError:
            continue
        full = build(full_config, options=BuildOptions(use_cache=False))
        served = _reproducible(_snapshot(live.config.output_dir))
        if full.committed:
            full_files = _reproducible(_snapshot(full_dir))
            assert served.keys() == full_files.keys(), f"step {step} ({name}): file sets differ"
            for rel, data in full_files.items():
                assert served[rel] == data, f"step {step} ({name}): {rel} differs from a full build"
            compared += 1
        else:  # a broken template: the last good site stays, byte for byte
            assert served == before, f"step {step} ({name}): a failed build changed the site"
        shutil.rmtree(full_dir, ignore_errors=True)
    assert compared >= 15
