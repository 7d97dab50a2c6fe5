"""The ``glassbox`` command: fit, predict, explain, export and report from the shell.

``glassbox demo`` is the main job: on the bundled Adult data it fits an explainable boosting
machine, an optimal sparse tree and an optimal rule list, prints a comparison table and writes
an HTML report and a Markdown rule document for each (see ``docs/cli.md``).

Every error is one line on stderr (``glassbox: error: ...``) and exit code 2; progress goes to
stderr and ``--quiet`` silences it. Set ``GLASSBOX_DEBUG=1`` to get tracebacks instead.
"""
import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

MODELS = ("ebm", "tree", "rules")
MODEL_OPTIONS = ("max_depth", "regularization", "time_limit", "max_card", "min_support", "interactions",
                 "outer_bags", "max_rounds", "learning_rate", "max_bins", "n_jobs")
FORMATS = ("md", "html", "txt", "py", "sql", "json")


class CLIError(Exception):
    """A user-facing error: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line instead of usage + message
        raise CLIError(f"{message} (see '{self.prog} --help')")


# --------------------------------------------------------------------------- progress


class Progress:
    """Progress lines on stderr; a ticker prints the elapsed time during long steps."""

    def __init__(self, quiet=False, every=15.0):
        self.quiet = quiet
        self.every = every

    def say(self, message):
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def step(self, message):
        return _Step(self, message)


class _Step:
    def __init__(self, progress, message):
        self.progress, self.message = progress, message
        self._stop = threading.Event()

    def __enter__(self):
        self.start = time.perf_counter()
        self.progress.say(f"{self.message} ...")
        if not self.progress.quiet:
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()
        return self

    def _tick(self):
        while not self._stop.wait(self.progress.every):
            self.progress.say(f"  ... still {self.message.lower()} ({time.perf_counter() - self.start:.0f} s)")

    def __exit__(self, exc_type, *_):
        self._stop.set()
        self.elapsed = time.perf_counter() - self.start
        if exc_type is None:
            self.progress.say(f"  done in {self.elapsed:.1f} s")
        return False


# --------------------------------------------------------------------------- helpers


def read_csv(path):
    """Read a CSV file; empty cells, 'NA', 'NaN' and '?' are missing values."""
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise CLIError(f"cannot read {path}: no such file")
    try:
        df = pd.read_csv(p, na_values=["?"], skipinitialspace=True)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CLIError(f"cannot read {path}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") \
            from None
    if df.shape[0] == 0 or df.shape[1] == 0:
        raise CLIError(f"cannot read {path}: no data rows")
    return df


def load_model(path):
    from .export import from_json, read_metadata

    p = Path(path)
    if not p.is_file():
        raise CLIError(f"cannot read model {path}: no such file")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CLIError(f"cannot read model {path}: {exc}") from None
    try:
        return from_json(text), read_metadata(text)
    except ValueError as exc:
        raise CLIError(f"{path}: {exc}") from None


def write_output(text, out, progress, what):
    if out is None or out == "-":
        sys.stdout.write(text)
        return
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")
    progress.say(f"wrote {what} to {out}")


def features_of(model, df, meta, path):
    """The model's feature columns of ``df`` in fitted order (the target dropped)."""
    from .export._header import feature_names

    names = feature_names(model)
    if getattr(model, "feature_names_in_", None) is None:  # fitted on unnamed columns
        target = meta.get("target")
        cols = [c for c in df.columns if c != target]
        if len(cols) != len(names):
            raise CLIError(f"{path} has {len(cols)} feature columns; the model expects {len(names)}")
        return df[cols]
    missing = [n for n in names if n not in df.columns]
    if missing:
        raise CLIError(f"{path} lacks the column(s) {missing} that the model was fitted on")
    return df[names]


def parse_rows(spec, n):
    """'0:5', '3', '1,4,7' -> list of row positions (checked against n rows)."""
    try:
        if ":" in spec:
            start, _, stop = spec.partition(":")
            rows = list(range(n))[slice(int(start) if start else None, int(stop) if stop else None)]
        else:
            rows = [int(r) for r in spec.split(",") if r.strip()]
    except ValueError:
        raise CLIError(f"--rows must look like 0:5, 3 or 1,4,7, got {spec!r}") from None
    bad = [r for r in rows if not -n <= r < n]
    if bad or not rows:
        raise CLIError(f"--rows {spec!r} selects no rows or rows outside 0..{n - 1}")
    return [r % n for r in rows]


def _value(text):
    """A --param value: JSON (numbers, true/false/null, lists) or else the string itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


# --------------------------------------------------------------------------- estimators


def _task(y, task):
    import pandas as pd

    if task != "auto":
        return task
    if pd.api.types.is_numeric_dtype(y.dtype) and not pd.api.types.is_bool_dtype(y.dtype) \
            and y.nunique(dropna=True) > 20:
        return "regression"
    return "classification"


def make_estimator(args, task):
    """The estimator chosen by --model, with the options given on the command line."""
    params = {}
    if args.model == "ebm":
        from .gam import ExplainableBoostingClassifier, ExplainableBoostingRegressor

        cls = ExplainableBoostingClassifier if task == "classification" else ExplainableBoostingRegressor
        options = {"interactions": args.interactions, "outer_bags": args.outer_bags,
                   "max_rounds": args.max_rounds, "learning_rate": args.learning_rate,
                   "max_bins": args.max_bins, "n_jobs": args.n_jobs}
    elif args.model == "tree":
        from .tree import OptimalSparseTreeClassifier, OptimalSparseTreeRegressor

        cls = OptimalSparseTreeClassifier if task == "classification" else OptimalSparseTreeRegressor
        options = {"max_depth": args.max_depth, "regularization": args.regularization,
                   "time_limit": args.time_limit}
    else:
        if task != "classification":
            raise CLIError("--model rules needs a classification target (rule lists classify)")
        from .rules import OptimalRuleListClassifier

        cls = OptimalRuleListClassifier
        options = {"max_card": args.max_card, "regularization": args.regularization,
                   "min_support": args.min_support, "time_limit": args.time_limit}
    misplaced = [f"--{name.replace('_', '-')}" for name in MODEL_OPTIONS
                 if getattr(args, name) is not None and name not in options]
    if misplaced:
        raise CLIError(f"option(s) {', '.join(misplaced)} do not apply to --model {args.model}")
    options["random_state"] = args.random_state
    params.update({k: v for k, v in options.items() if v is not None})
    for item in args.param or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise CLIError(f"--param expects NAME=VALUE, got {item!r}")
        params[name.strip().replace("-", "_")] = _value(value)
    accepted = cls().get_params()
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise CLIError(f"{cls.__name__} has no parameter(s) {unknown}; it accepts {sorted(accepted)}")
    return cls(**params)


# --------------------------------------------------------------------------- commands


def cmd_fit(args, progress):
    from .export import to_json

    df = read_csv(args.data)
    if args.target not in df.columns:
        raise CLIError(f"target column {args.target!r} is not in {args.data} "
                       f"(columns: {', '.join(map(str, df.columns))})")
    drop = [args.target] + [c.strip() for c in (args.drop or "").split(",") if c.strip()]
    unknown = [c for c in drop if c not in df.columns]
    if unknown:
        raise CLIError(f"--drop names column(s) {unknown} that are not in {args.data}")
    y = df[args.target]
    if y.isna().any():
        raise CLIError(f"target column {args.target!r} has {int(y.isna().sum())} missing values")
    X = df.drop(columns=drop)
    task = _task(y, args.task)
    model = make_estimator(args, task)
    progress.say(f"{len(X):,} rows, {X.shape[1]} features; target {args.target!r} ({task})")
    with progress.step(f"Fitting {type(model).__name__}") as step:
        model.fit(X, y)
    meta = {"target": args.target, "task": task, "model": args.model, "data": Path(args.data).name,
            "fit_seconds": round(step.elapsed, 3)}
    write_output(to_json(model, metadata=meta), args.out, progress, "the model")
    return 0


def cmd_predict(args, progress):
    import pandas as pd
    from sklearn.base import is_classifier

    model, meta = load_model(args.model_file)
    df = read_csv(args.data)
    X = features_of(model, df, meta, args.data)
    with progress.step(f"Scoring {len(X):,} rows"):
        out = pd.DataFrame({"prediction": model.predict(X)})
        if is_classifier(model) and not args.no_proba:
            proba = model.predict_proba(X)
            for j, c in enumerate(model.classes_):
                out[f"proba_{c}"] = proba[:, j]
    if args.keep:
        keep = [c.strip() for c in args.keep.split(",") if c.strip()]
        missing = [c for c in keep if c not in df.columns]
        if missing:
            raise CLIError(f"--keep names column(s) {missing} that are not in {args.data}")
        out = pd.concat([df[keep].reset_index(drop=True), out], axis=1)
    text = out.to_csv(index=False, float_format=None)
    write_output(text, args.out, progress, f"{len(out):,} predictions")
    return 0


def cmd_explain(args, progress):
    import numpy as np

    model, meta = load_model(args.model_file)
    df = read_csv(args.data)
    X = features_of(model, df, meta, args.data)
    rows = parse_rows(args.rows, len(X))
    exp = model.explain_local(X.iloc[rows])
    lines = []
    for i, r in enumerate(rows):
        lines.append(_explain_row(model, exp, i, r, args.top, np))
    sys.stdout.write("\n".join(lines))
    return 0


def _explain_row(model, exp, i, row, top, np):
    from .export._format import fmt_label

    values = np.asarray(exp.values[i], dtype=np.float64)
    base = np.asarray(exp.base_values[i], dtype=np.float64)
    output = exp.output
    if values.ndim == 2:  # per class: the predicted class
        names = list(exp.output_names or [])
        pred = exp.predictions[i] if exp.predictions is not None else None
        k = names.index(str(pred)) if pred is not None and str(pred) in names else values.shape[1] - 1
        values, base = values[:, k], base[k]
        output = f"{output} of class {names[k]}" if names else output
    total = float(base + values.sum())
    head = [f"row {row}: prediction {fmt_label(exp.predictions[i]) if exp.predictions is not None else '?'}"]
    if exp.probabilities is not None:
        probs = ", ".join(f"{fmt_label(c)}: {p:.4f}" for c, p in zip(exp.classes, exp.probabilities[i]))
        head.append(f"  probabilities  {probs}")
    head.append(f"  {output}: {total:.6g} = base {float(base):.6g} + contributions:")
    order = [t for t in np.argsort(-np.abs(values), kind="stable") if values[t] != 0][:top]
    data = exp.data.iloc[i] if exp.data is not None else None
    width = max(len(str(exp.term_names[t])) for t in order) if len(order) else 0
    for t in order:
        name = str(exp.term_names[t])
        shown = ""
        if data is not None:
            feats = [exp.feature_names[f] for f in exp.term_features[t]]
            shown = ", ".join(f"{f}={data[f]!s}" for f in feats if f in data.index)
        head.append(f"    {values[t]:+.6f}  {name:<{width}}  {shown}")
    rest = len(values) - len(order)
    if rest > 0 and float(values.sum() - values[order].sum()) != 0.0:
        head.append(f"    {float(values.sum() - values[order].sum()):+.6f}  ({rest} other terms)")
    if exp.fired is not None:
        head.append("  fired: " + (" AND ".join(exp.fired[i]) or "default rule"))
    return "\n".join(head) + "\n"


def cmd_export(args, progress):
    from . import export

    model, meta = load_model(args.model_file)
    target = meta.get("target")
    fmt = args.format
    if fmt == "md":
        text = export.to_markdown(model, decimals=args.decimals, target_name=target)
    elif fmt == "txt":
        text = export.to_text(model, decimals=args.decimals, target_name=target)
    elif fmt == "html":
        text = export.to_html(model, decimals=args.decimals, target_name=target, figures=args.figures)
    elif fmt == "py":
        text = export.to_python(model)
    elif fmt == "sql":
        text = export.to_sql(model, table=args.table, key=args.key)
    else:
        text = export.to_json(model, metadata=meta, indent=2) + "\n"
    write_output(text, args.out, progress, f"the {fmt} export")
    return 0


def cmd_report(args, progress):
    from .plot import report

    model, meta = load_model(args.model_file)
    X = y = None
    if args.data is not None:
        df = read_csv(args.data)
        X = features_of(model, df, meta, args.data)
        target = meta.get("target")
        if target in df.columns and not df[target].isna().any():
            y = df[target].to_numpy()
    with progress.step("Writing the report"):
        html = report(model, X, y, n_local=args.n_local)
    write_output(html, args.out, progress, "the report")
    return 0


DEMO_SETTINGS = {
    # Chosen to finish in a few minutes on 2 cores (see docs/cli.md).
    "ebm": dict(outer_bags=4, interactions=10, n_jobs=2, random_state=0),
    "tree": dict(max_depth=4, regularization=0.005, time_limit=60.0, random_state=0),
    "rules": dict(max_card=2, regularization=0.005, min_support=0.01, time_limit=60.0, random_state=0),
}
QUICK_SETTINGS = {
    "ebm": dict(outer_bags=1, interactions=2, max_rounds=300, n_jobs=2, random_state=0),
    "tree": dict(max_depth=2, regularization=0.01, time_limit=10.0, random_state=0),
    "rules": dict(max_card=1, regularization=0.01, min_support=0.05, time_limit=10.0, random_state=0),
}
DEMO_NAMES = {"ebm": "Explainable boosting machine", "tree": "Optimal sparse tree",
              "rules": "Optimal rule list"}


def _demo_estimator(kind, settings):
    if kind == "ebm":
        from .gam import ExplainableBoostingClassifier as cls
    elif kind == "tree":
        from .tree import OptimalSparseTreeClassifier as cls
    else:
        from .rules import OptimalRuleListClassifier as cls
    return cls(**settings)


def _model_size(kind, model):
    if kind == "ebm":
        pairs = sum(len(f) == 2 for f in model.term_features_)
        return f"{len(model.term_features_)} terms ({pairs} pairs)"
    if kind == "tree":
        return f"{model.n_leaves_} leaves, depth {model.depth_}"
    return f"{len(model.rules_) - 1} rules + default"


def cmd_demo(args, progress):
    import warnings

    import numpy as np
    from sklearn.metrics import accuracy_score, roc_auc_score

    from . import export
    from .datasets import load_adult
    from .plot import report

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    X, y = load_adult(split="train")
    Xt, yt = load_adult(split="test")
    if args.quick:
        X, y, Xt, yt = X.iloc[:3000], y.iloc[:3000], Xt.iloc[:1000], yt.iloc[:1000]
    progress.say(f"Adult: {len(X):,} training rows, {len(Xt):,} test rows, {X.shape[1]} features; "
                 f"target: income > 50K; output directory: {out}")
    settings = QUICK_SETTINGS if args.quick else DEMO_SETTINGS
    rows = []
    for kind in MODELS:
        try:
            model = _demo_estimator(kind, settings[kind])
        except ImportError as exc:
            progress.say(f"skipping {DEMO_NAMES[kind]}: not available ({exc})")
            continue
        with progress.step(f"Fitting {DEMO_NAMES[kind]}") as step, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a time limit reached is reported in the documents
            model.fit(X, y)
        proba = model.predict_proba(Xt)
        positive = list(model.classes_).index(">50K") if ">50K" in list(model.classes_) else 1
        rows.append([DEMO_NAMES[kind], f"{accuracy_score(yt, model.predict(Xt)):.4f}",
                     f"{roc_auc_score(np.asarray(yt) == model.classes_[positive], proba[:, positive]):.4f}",
                     f"{step.elapsed:.1f}", _model_size(kind, model)])
        meta = {"target": "income", "task": "classification", "model": kind, "data": "adult (bundled)"}
        (out / f"{kind}.json").write_text(export.to_json(model, metadata=meta), encoding="utf-8")
        (out / f"{kind}.md").write_text(export.to_markdown(model, target_name="income"), encoding="utf-8")
        with progress.step(f"Writing the {DEMO_NAMES[kind].lower()} report"):
            report(model, Xt, np.asarray(yt), path=out / f"{kind}-report.html")
    if not rows:
        raise CLIError("no model family is available")
    header = ["model", "test accuracy", "test AUC", "fit time (s)", "size"]
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header] + rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    table = "\n".join(lines) + "\n"
    sys.stdout.write(table)
    md = "| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n" + "".join(
        "| " + " | ".join(r) + " |\n" for r in rows)
    (out / "comparison.md").write_text(md, encoding="utf-8")
    progress.say(f"wrote {', '.join(sorted(p.name for p in out.iterdir()))} to {out}")
    return 0


# --------------------------------------------------------------------------- parser


def build_parser():
    p = _Parser(
        prog="glassbox",
        description="Glass-box models for tabular data: fit, predict, explain, export and report. "
                    "Run 'glassbox demo' to fit all three model families on the bundled Adult data.",
        epilog="Errors are printed as one line with exit code 2. Set GLASSBOX_DEBUG=1 for tracebacks.",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    # --quiet is accepted after the command too; SUPPRESS keeps a value given before it
    quiet = _Parser(add_help=False)
    quiet.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                       help="no progress messages on stderr")

    f = sub.add_parser("fit", parents=[quiet], help="fit a model on a CSV file and save it as JSON",
                       description="Fit a model on DATA.csv (one row per sample, a header row; empty "
                                   "cells, NA and ? are missing values) and save it as glassbox JSON.")
    f.add_argument("data", metavar="DATA.csv")
    f.add_argument("--target", required=True, metavar="COL", help="name of the target column")
    f.add_argument("--model", required=True, choices=MODELS,
                   help="ebm: explainable boosting machine; tree: optimal sparse decision tree; "
                        "rules: certifiably optimal rule list")
    f.add_argument("--out", required=True, metavar="MODEL.json", help="where to write the model")
    f.add_argument("--task", default="auto", choices=("auto", "classification", "regression"),
                   help="auto: regression for a numeric target with more than 20 distinct values")
    f.add_argument("--drop", metavar="COLS", help="comma-separated columns to leave out of X")
    g = f.add_argument_group("model options (only the ones given are passed; others keep their defaults)")
    g.add_argument("--max-depth", type=int, help="tree: maximum depth (0 = a single leaf)")
    g.add_argument("--regularization", type=float, help="tree, rules: cost per leaf / per rule")
    g.add_argument("--time-limit", type=float, metavar="SECONDS", help="tree, rules: search time limit")
    g.add_argument("--max-card", type=int, help="rules: maximum conditions per rule")
    g.add_argument("--min-support", type=float, help="rules: minimum support of a rule")
    g.add_argument("--interactions", type=_value, help="ebm: number, fraction, '3x' of pair terms")
    g.add_argument("--outer-bags", type=int, help="ebm: number of outer bags")
    g.add_argument("--max-rounds", type=int, help="ebm: maximum boosting rounds")
    g.add_argument("--learning-rate", type=float, help="ebm: learning rate")
    g.add_argument("--max-bins", type=int, help="ebm: maximum bins per feature")
    g.add_argument("--n-jobs", type=int, help="ebm: parallel jobs")
    g.add_argument("--random-state", type=int, default=0, help="seed (default 0)")
    g.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="any other estimator parameter; VALUE is read as JSON when it parses "
                        "(5, 0.1, true, null, [1,2]), else as text; may be repeated")
    f.set_defaults(func=cmd_fit)

    pr = sub.add_parser("predict", parents=[quiet], help="score a CSV file with a saved model",
                        description="Write one row per input row: the prediction and, for "
                                    "classifiers, one proba_<class> column per class.")
    pr.add_argument("model_file", metavar="MODEL.json")
    pr.add_argument("data", metavar="DATA.csv")
    pr.add_argument("--out", metavar="PREDICTIONS.csv", help="output file (default: stdout)")
    pr.add_argument("--keep", metavar="COLS", help="comma-separated input columns copied to the output")
    pr.add_argument("--no-proba", action="store_true", help="only the prediction column")
    pr.set_defaults(func=cmd_predict)

    ex = sub.add_parser("explain", parents=[quiet], help="explain the predictions for some rows",
                        description="Print, per row, the prediction and the largest additive "
                                    "contributions (EBM: term scores; tree and rules: exact Shapley "
                                    "values) and, for trees and rule lists, the conditions that fired.")
    ex.add_argument("model_file", metavar="MODEL.json")
    ex.add_argument("data", metavar="DATA.csv")
    ex.add_argument("--rows", default="0:5", help="rows to explain: 0:5, 3 or 1,4,7 (default 0:5)")
    ex.add_argument("--top", type=int, default=8, help="contributions shown per row (default 8)")
    ex.set_defaults(func=cmd_explain)

    xp = sub.add_parser("export", parents=[quiet], help="write the model as a document or as scoring code",
                        description="md, html, txt: the whole model as a readable rule document; "
                                    "py: a standalone Python scoring function (standard library only); "
                                    "sql: one SELECT scoring every row of a table; json: the model "
                                    "itself, pretty-printed.")
    xp.add_argument("model_file", metavar="MODEL.json")
    xp.add_argument("--format", required=True, choices=FORMATS)
    xp.add_argument("--out", metavar="FILE", help="output file (default: stdout)")
    xp.add_argument("--decimals", type=int, default=4, help="rounding of scores in documents (default 4)")
    xp.add_argument("--figures", action="store_true", help="html: embed the plotly figures")
    xp.add_argument("--table", default="data", help="sql: table to score (default 'data')")
    xp.add_argument("--key", help="sql: key column returned with the scores")
    xp.set_defaults(func=cmd_export)

    rp = sub.add_parser("report", parents=[quiet], help="write a self-contained HTML report with figures",
                        description="An HTML page with the model summary, importances, every shape "
                                    "function or the tree / rule list and, given DATA.csv, metrics "
                                    "(when it has the target column) and local explanations.")
    rp.add_argument("model_file", metavar="MODEL.json")
    rp.add_argument("data", metavar="DATA.csv", nargs="?")
    rp.add_argument("--out", required=True, metavar="REPORT.html")
    rp.add_argument("--n-local", type=int, default=3, help="rows explained locally (default 3)")
    rp.set_defaults(func=cmd_report)

    dm = sub.add_parser("demo", parents=[quiet], help="fit all three model families on the bundled Adult data",
                        description="Fit an explainable boosting machine, an optimal sparse tree and "
                                    "an optimal rule list on Adult (official train/test split), print "
                                    "a comparison table, and write into DIR each model's JSON, HTML "
                                    "report and Markdown rule document.")
    dm.add_argument("--out", default="glassbox-demo", metavar="DIR", help="output directory (default glassbox-demo)")
    dm.add_argument("--quick", action="store_true", help="small settings for a smoke test (seconds)")
    dm.set_defaults(func=cmd_demo)
    return p


def main(argv=None):
    """Entry point of the ``glassbox`` console script; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        return int(args.func(args, Progress(args.quiet)) or 0)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except KeyboardInterrupt:
        print("glassbox: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - every failure becomes one line
        if os.environ.get("GLASSBOX_DEBUG") == "1":
            raise
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if not isinstance(exc, CLIError) and not isinstance(exc, (ValueError, TypeError)):
            message = f"{type(exc).__name__}: {message}"
        print(f"glassbox: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
