"""The `briefgen` command: argument parsing and exit codes, no logic of its own.

Exit codes: 0 ok, 1 finished with errors, 2 usage or config error. Heavy modules are imported inside
the handlers so that the JSON-lines commands start fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import __version__
from briefgen.errors import BriefgenError, ConfigError, OutputFolderError

if TYPE_CHECKING:
    from briefgen.pipeline import BuildOptions

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2
JSONL_EPILOG = (
    "Each malformed input line is reported on stderr as '<stdin>:N: error: ...' and skipped; the other "
    "lines are answered. Exit status: 0 when every line was answered, 1 when any line was malformed."
)


def _summary_spec(value: str) -> int | str:
    text = value.strip()
    if text.endswith("%"):
        try:
            share = float(text[:-1])
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a share: {value!r}") from None
        if not 0 < share <= 100:
            raise argparse.ArgumentTypeError(f"share must be in (0, 100]%: {value!r}")
        return text
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a count or a share like '20%': {value!r}") from None
    if count < 0:
        raise argparse.ArgumentTypeError(f"count must not be negative: {value!r}")
    return count


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1: {value!r}")
    return number


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD: {value!r}") from None


def _add_site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site", type=Path, default=Path(), metavar="DIR", help="the site's root folder (default: .)"
    )
    parser.add_argument("--config", type=Path, default=None, help="config file (default: DIR/briefgen.yml)")


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    _add_site_options(parser)
    parser.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    parser.add_argument(
        "--future", action="store_true", help="include articles dated after today (otherwise held back)"
    )
    parser.add_argument("--no-cache", action="store_true", help="analyse every article afresh")
    parser.add_argument(
        "--output", type=Path, default=None, metavar="DIR", help="output folder (default: site/)"
    )
    parser.add_argument("--base-url", default=None, help="override base_url from briefgen.yml")
    parser.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        default=None,
        metavar="N",
        help="processes for a large build (default: one per available CPU; 1: no worker processes)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into an output folder briefgen did not make (files briefgen did not write are kept)",
    )
    parser.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="where articles are analysed: local processes, or a Dask cluster (needs briefgen[dask])",
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="the Dask scheduler (tcp://host:port); without it --executor dask starts a local cluster",
    )
    loud = parser.add_mutually_exclusive_group()
    loud.add_argument("--verbose", "-v", action="store_true", help="list every warning and dropped line")
    loud.add_argument("--quiet", "-q", action="store_true", help="print errors only")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Turn collected news articles into a static briefing site.",
    )
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("init", help="create a new site", description="Create a new briefgen site in DIR.")
    p.add_argument("dir", type=Path, metavar="DIR")
    p.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    p.set_defaults(handler=_cmd_init)

    p = sub.add_parser(
        "new",
        help="start a new article: content/YYYY-MM-DD-headline.md",
        description="Write content/YYYY-MM-DD-<headline>.md with front matter (title, date, author, source,"
        " tags) to fill in, as a draft until its 'draft: true' line goes; an existing file is never replaced."
        " Prints the new file's path.",
    )
    p.add_argument("title", metavar="HEADLINE", help="the article's headline (quote it)")
    _add_site_options(p)
    p.add_argument("--date", type=_iso_date, default=None, help="YYYY-MM-DD (default: today)")
    p.add_argument("--author", default="", help="the byline's name")
    p.add_argument("--source", default="", help="the outlet")
    p.add_argument("--tags", default="", help="comma-separated topics: 'harbour, transport'")
    p.set_defaults(handler=_cmd_new)

    p = sub.add_parser("build", help="build the site", description="Build content/ into site/.")
    _add_build_options(p)
    p.add_argument("--json", action="store_true", help="print the whole build report as JSON on stdout")
    p.set_defaults(handler=_cmd_build)

    p = sub.add_parser(
        "clean", help="delete the output and the cache", description="Delete site/ and the cache."
    )
    _add_site_options(p)
    p.set_defaults(handler=_cmd_clean)

    for name, helptext in (
        ("serve", "build, serve on 127.0.0.1, rebuild on change and reload the browser"),
        ("watch", "build and rebuild on change, without a server"),
    ):
        p = sub.add_parser(name, help=helptext, description=helptext[0].upper() + helptext[1:] + ".")
        _add_build_options(p)
        p.add_argument("--poll", action="store_true", help="poll the file system instead of using events")
        if name == "serve":
            p.add_argument("--port", type=int, default=None, help="port (default 8000, or the next free one)")
            p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
            p.add_argument("--open", action="store_true", help="open the site in a web browser")
        p.set_defaults(handler=_cmd_serve if name == "serve" else _cmd_watch)

    p = sub.add_parser(
        "summarize",
        help="summaries of JSON-lines articles",
        description='Read {"id","text"} lines on stdin; write {"id","summary":[sentence,...]} lines.',
        epilog=JSONL_EPILOG,
    )
    p.add_argument("--jsonl", action="store_true", required=True, help="JSON lines in and out (required)")
    p.add_argument(
        "--sentences",
        type=_summary_spec,
        default=None,
        help="a count or a share such as '20%%' (default: $SUMMARY_SENTENCES or 3)",
    )
    p.set_defaults(handler=_cmd_summarize)

    p = sub.add_parser(
        "quotes",
        help="quotes and speakers of JSON-lines articles",
        description='Read {"id","text"} lines; write {"id","quotes":[{"quote","speaker","key"}]} lines.',
        epilog=JSONL_EPILOG,
    )
    p.add_argument("--jsonl", action="store_true", required=True, help="JSON lines in and out (required)")
    p.add_argument(
        "--explain", action="store_true", help='add "rule" to each quote: the rule that chose its speaker'
    )
    p.set_defaults(handler=_cmd_quotes)

    p = sub.add_parser(
        "related",
        help="related articles of a JSON-lines corpus",
        description='Read {"id","title","text","date"} lines; write {"id","related":[id,...]} lines.',
        epilog=JSONL_EPILOG,
    )
    p.add_argument("--jsonl", action="store_true", required=True, help="JSON lines in and out (required)")
    p.add_argument("--k", type=_positive, default=3, help="links per article (default 3)")
    p.set_defaults(handler=_cmd_related)
    p = sub.add_parser(
        "stories",
        help="same-story groups of a JSON-lines corpus",
        description='Read {"id","title","text","date"} lines; write {"id","story"} lines '
        "(the story's key: the id of its first report).",
    )
    p.add_argument("--jsonl", action="store_true", required=True, help="JSON lines in and out (required)")
    p.set_defaults(handler=_cmd_stories)
    return parser


def _cmd_summarize(args: argparse.Namespace) -> int:
    from briefgen.jsonl import main_jsonl, run_summarize

    spec = args.sentences
    if spec is None:
        try:
            spec = _summary_spec(os.environ.get("SUMMARY_SENTENCES", "3"))
        except argparse.ArgumentTypeError as exc:
            print(f"briefgen: error: SUMMARY_SENTENCES: {exc}", file=sys.stderr)
            return EXIT_USAGE
    return main_jsonl(lambda inp, out, report: run_summarize(inp, out, sentences=spec, report=report))


def _cmd_quotes(args: argparse.Namespace) -> int:
    from briefgen.jsonl import main_jsonl, run_quotes

    return main_jsonl(lambda inp, out, report: run_quotes(inp, out, report=report, explain=args.explain))


def _cmd_related(args: argparse.Namespace) -> int:
    from briefgen.jsonl import main_jsonl, run_related

    return main_jsonl(lambda inp, out, report: run_related(inp, out, k=args.k, report=report))


def _cmd_stories(args: argparse.Namespace) -> int:
    from briefgen.jsonl import main_jsonl, run_stories

    return main_jsonl(lambda inp, out, report: run_stories(inp, out, report=report))


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    out: dict[str, object] = {}
    if getattr(args, "output", None) is not None:
        out["output_dir"] = str(args.output)
    if getattr(args, "base_url", None) is not None:
        out["base_url"] = args.base_url
    if getattr(args, "drafts", False):
        out["drafts"] = True
    if getattr(args, "future", False):
        out["future"] = True
    return out


def _load(args: argparse.Namespace, *, require_content: bool = True):  # type: ignore[no-untyped-def]
    from briefgen.config import load_config

    root: Path = args.site
    config_path = args.config if args.config is not None else root / "briefgen.yml"
    return load_config(config_path, root=root, overrides=_overrides(args), require_content=require_content)


def _cmd_init(args: argparse.Namespace) -> int:
    from briefgen.scaffold import create_site

    create_site(args.dir, force=args.force)
    print(f"created a new site in {args.dir}: try `briefgen build --site {args.dir}`")
    return EXIT_OK


def _cmd_new(args: argparse.Namespace) -> int:
    from briefgen.scaffold import new_article

    config = _load(args)
    path = new_article(
        config,
        args.title,
        date=args.date or dt.date.today(),
        author=args.author,
        source=args.source,
        tags=[t.strip() for t in args.tags.split(",") if t.strip()],
    )
    print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    print(
        "write the article in it; it is a draft (not built) until its 'draft: true' line goes",
        file=sys.stderr,
    )
    return EXIT_OK


def build_options(args: argparse.Namespace) -> BuildOptions:
    from briefgen.pipeline import BuildOptions

    return BuildOptions(
        use_cache=not args.no_cache,
        force=args.force,
        jobs=args.jobs,
        executor=args.executor,
        scheduler=args.scheduler,
    )


def _cmd_build(args: argparse.Namespace) -> int:
    from briefgen.pipeline import build
    from briefgen.report import ConsoleReporter

    config = _load(args)
    reporter = ConsoleReporter(verbose=args.verbose, quiet=args.quiet, json_output=args.json)
    result = build(config, options=build_options(args), reporter=reporter)
    reporter.finish(result)
    return EXIT_OK if result.ok else EXIT_ERRORS


def _cmd_clean(args: argparse.Namespace) -> int:
    from briefgen.pipeline import clean

    config = _load(args, require_content=False)
    for path in clean(config):
        print(f"removed {path}")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from briefgen.serve import run_server

    return run_server(args, lambda: _load(args), build_options(args))


def _cmd_watch(args: argparse.Namespace) -> int:
    from briefgen.serve import run_watch

    return run_watch(args, lambda: _load(args), build_options(args))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    try:
        code: int = args.handler(args)
        return code
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except OutputFolderError as exc:
        print(f"briefgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BriefgenError as exc:
        print(f"briefgen: error: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        return 130


def run() -> None:
    sys.exit(main())
