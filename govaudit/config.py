"""The supervisor's config file (`sites.yaml`): schema, defaults and validation.

A config lists departments, the sites (sections) they own, update classes and politeness.
Every validation error names the file, the field path and a fix, e.g.::

    sites.yaml: sites[2].department: unknown department 'jyjj'
      fix: use one of the department ids (zfb, jyj, mzj) or add it under `departments:`

Defaults follow ../shared/domain.md §3.1: 动态/要闻 14 days, 通知公告/政策文件 6 months, other
basic-information columns 1 year. Columns that are not listed are discovered by the crawler
and classed by keywords in their Chinese name (`class_keywords`, first match wins).
"""
from __future__ import annotations

import difflib
import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from govaudit.windows import Window, WindowError, parse_window

DEFAULT_UPDATE_CLASSES: dict[str, str] = {
    "动态要闻": "两周",
    "通知公告": "半年",
    "政策文件": "半年",
    "基础信息": "每年",
}
DEFAULT_CLASS_KEYWORDS: dict[str, list[str]] = {
    "动态要闻": ["要闻", "动态", "新闻", "资讯", "快讯"],
    "通知公告": ["通知", "公告", "公示"],
    "政策文件": ["政策文件", "规范性文件", "文件"],
}
DEFAULT_CLASS = "基础信息"
_IDENT = re.compile(r"^[A-Za-z0-9_\-]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ConfigError(Exception):
    """A config that cannot be used; the message names file, field and fix."""

    def __init__(self, path: str | Path, problems: list[tuple[str, str, str]]):
        self.path = str(path)
        self.problems = problems
        lines = [f"{self.path}: {field}: {message}\n  fix: {fix}" for field, message, fix in problems]
        super().__init__("\n".join(lines))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_ident(value: str) -> str:
    if not _IDENT.match(value):
        raise ValueError("ids use letters, digits, '-' and '_' only (e.g. jyj, dept-01)")
    return value


def _check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{value!r} is not an absolute http(s) URL (write e.g. http://www.example.gov.cn/)")
    return value


Ident = Annotated[str, AfterValidator(_check_ident)]
HttpUrlText = Annotated[str, AfterValidator(_check_http_url)]


class Department(_Strict):
    id: Ident = Field(description="short ASCII id, e.g. jyj")
    name: str = Field(min_length=1, description="Chinese name, e.g. 青溪区教育局")
    email: str | None = Field(default=None, description="contact e-mail for notices")

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value and not _EMAIL.match(value):
            raise ValueError(f"{value!r} is not an e-mail address (write e.g. office@example.gov.cn)")
        return value


class ColumnSpec(_Strict):
    name: str = Field(min_length=1)
    url: HttpUrlText
    update_class: str | None = None


class Site(_Strict):
    id: Ident
    name: str = Field(min_length=1)
    department: str
    start_urls: list[HttpUrlText] = Field(min_length=1)
    allowed_hosts: list[str] = Field(default_factory=list, description="netlocs (host or host:port)")
    scope: list[str] = Field(default_factory=list, description="path prefixes owned by this section")
    columns: list[ColumnSpec] = Field(default_factory=list)

    @field_validator("scope")
    @classmethod
    def _scope(cls, values: list[str]) -> list[str]:
        for prefix in values:
            if not prefix.startswith("/"):
                raise ValueError(f"scope prefix {prefix!r} must be a URL path starting with '/', e.g. /jyj/")
        return values

    @model_validator(mode="after")
    def _default_hosts(self) -> "Site":
        if not self.allowed_hosts:
            self.allowed_hosts = sorted({urlsplit(u).netloc.lower() for u in self.start_urls})
        else:
            self.allowed_hosts = [h.lower() for h in self.allowed_hosts]
        return self

    def owns_path(self, url: str) -> int:
        """Length of the longest scope prefix matching `url` (0 when none)."""
        parts = urlsplit(url)
        if parts.netloc.lower() not in self.allowed_hosts:
            return 0
        return max((len(p) for p in self.scope if (parts.path or "/").startswith(p)), default=0)


class Politeness(_Strict):
    concurrency_per_host: int = Field(default=2, ge=1, le=64)
    delay: float = Field(default=1.0, ge=0, description="seconds between requests to one host")
    autothrottle: bool = True
    timeout: float = Field(default=20.0, gt=0)
    robots_txt: bool = True
    max_pages_per_site: int = Field(default=5000, ge=1)
    max_depth: int = Field(default=12, ge=1)
    max_list_pages: int = Field(default=50, ge=1, description="pages followed per column")
    max_offscope_hops: int = Field(default=4, ge=0, description="links followed outside any scope")
    max_page_bytes: int = Field(default=10_000_000, ge=10_000)
    max_attachment_bytes: int = Field(default=20_000_000, ge=0)
    user_agent: str = "govaudit/0.1 (+government website inspection)"
    # Link checking (dead_link / unverifiable_link). A check is one HEAD or small GET per distinct
    # target, never a crawl: robots.txt does not apply, nothing found on the target is followed.
    check_external_links: bool = Field(
        default=False, description="check once that each external link target answers (opt-in: it contacts other hosts)")
    external_concurrency: int = Field(default=1, ge=1, le=4, description="parallel checks per external host")
    external_delay: float = Field(default=2.0, ge=0, description="seconds between checks to one external host")
    max_link_checks: int = Field(default=2000, ge=0, description="distinct targets checked per run; 0 turns checks off")
    max_link_check_bytes: int = Field(default=65_536, ge=1024, description="body read by a GET check")


class Config(_Strict):
    organization: str = Field(default="政府网站监管办公室", description="who issues bulletins and notices")
    store: str = "sqlite:///govaudit.db"
    as_of: date | None = None
    departments: list[Department] = Field(min_length=1)
    sites: list[Site] = Field(min_length=1)
    update_classes: dict[str, str | int] = Field(default_factory=lambda: dict(DEFAULT_UPDATE_CLASSES))
    default_update_class: str = DEFAULT_CLASS
    class_keywords: dict[str, list[str]] = Field(default_factory=lambda: {k: list(v) for k, v in DEFAULT_CLASS_KEYWORDS.items()})
    politeness: Politeness = Field(default_factory=Politeness)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict, description="per-rule settings")

    @field_validator("update_classes")
    @classmethod
    def _merge_default_classes(cls, value: dict[str, str | int]) -> dict[str, str | int]:
        """A config that redefines one class keeps the rulebook's other classes."""
        for name, spec in value.items():
            try:
                parse_window(spec)
            except WindowError as exc:
                raise ValueError(f"{name}: {exc}") from None
        return {**DEFAULT_UPDATE_CLASSES, **value}

    # filled by load_config
    path: str | None = Field(default=None, exclude=True)
    digest: str | None = Field(default=None, exclude=True)

    def windows(self) -> dict[str, Window]:
        return {name: parse_window(spec) for name, spec in self.update_classes.items()}

    def class_for(self, column_name: str) -> str:
        """The update class of a discovered column, from keywords in its Chinese name."""
        for cls, words in self.class_keywords.items():
            if any(w in column_name for w in words):
                return cls
        return self.default_update_class

    def department(self, dept_id: str) -> Department:
        return next(d for d in self.departments if d.id == dept_id)

    def store_url(self) -> str:
        """The store URL with a relative SQLite path resolved against the config's folder."""
        prefix = "sqlite:///"
        if self.store.startswith(prefix) and self.path:
            db = self.store[len(prefix):]
            if db and db != ":memory:" and not Path(db).is_absolute():
                return prefix + str((Path(self.path).resolve().parent / db))
        return self.store


def _semantic_problems(cfg: Config) -> list[tuple[str, str, str]]:
    """Cross-field checks pydantic cannot express field by field."""
    problems: list[tuple[str, str, str]] = []
    dept_ids = [d.id for d in cfg.departments]
    for label, ids in (("departments", dept_ids), ("sites", [s.id for s in cfg.sites])):
        for i, ident in enumerate(ids):
            if ident in ids[:i]:
                problems.append((f"{label}[{i}].id", f"duplicate id {ident!r}", "give every entry its own id"))
    classes = list(cfg.update_classes)
    if cfg.default_update_class not in classes:
        problems.append(("default_update_class", f"unknown class {cfg.default_update_class!r}",
                         f"use one of {', '.join(classes)} or add it under `update_classes:`"))
    for name in cfg.class_keywords:
        if name not in classes:
            problems.append((f"class_keywords.{name}", f"unknown class {name!r}",
                             f"use one of {', '.join(classes)} or add it under `update_classes:`"))
    for i, site in enumerate(cfg.sites):
        if site.department not in dept_ids:
            problems.append((f"sites[{i}].department", f"unknown department {site.department!r}",
                             f"use one of the department ids ({', '.join(dept_ids)}) or add it under `departments:`"))
        for j, url in enumerate(site.start_urls):
            if urlsplit(url).netloc.lower() not in site.allowed_hosts:
                problems.append((f"sites[{i}].start_urls[{j}]", f"host of {url!r} is not in allowed_hosts",
                                 "add the host to `allowed_hosts` or remove `allowed_hosts` to derive it"))
        for j, col in enumerate(site.columns):
            if col.update_class and col.update_class not in classes:
                problems.append((f"sites[{i}].columns[{j}].update_class", f"unknown class {col.update_class!r}",
                                 f"use one of {', '.join(classes)}"))
    return problems


_FIX_BY_TYPE = {
    "missing": "add this field",
    "extra_forbidden": "remove it or check the spelling against `govaudit init`",
    "too_short": "give at least one entry",
    "int_parsing": "write a whole number",
    "float_parsing": "write a number",
    "bool_parsing": "write true or false",
    "date_from_datetime_parsing": "write a date as YYYY-MM-DD",
    "date_parsing": "write a date as YYYY-MM-DD",
    "list_type": "write a YAML list (- item)",
    "dict_type": "write a YAML mapping (key: value)",
    "string_type": "write a text value",
}


def _field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _known_fields(loc: tuple) -> list[str]:
    """Field names valid at the parent of `loc`, for 'did you mean' hints."""
    model: Any = Config
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        model = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
    return list(model.model_fields)


def _pydantic_problems(exc: ValidationError) -> list[tuple[str, str, str]]:
    problems = []
    for err in exc.errors():
        message = err["msg"].removeprefix("Value error, ")
        fix = _FIX_BY_TYPE.get(err["type"], "see `govaudit init` for a commented example")
        if err["type"] == "value_error":
            fix = "correct the value as described"
        if err["type"] == "extra_forbidden":
            try:
                close = difflib.get_close_matches(str(err["loc"][-1]), _known_fields(err["loc"]), n=1)
            except (KeyError, AttributeError):
                close = []
            if close:
                fix = f"did you mean `{close[0]}`? otherwise remove it"
        problems.append((_field_path(err["loc"]), message, fix))
    return problems


def parse_config(data: Any, path: str | Path = "<config>") -> Config:
    """Validate an already-loaded mapping; raise ConfigError naming `path`."""
    if not isinstance(data, dict):
        raise ConfigError(path, [("(top level)", "the file is not a YAML mapping", "start from `govaudit init`")])
    try:
        cfg = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(path, _pydantic_problems(exc)) from None
    problems = _semantic_problems(cfg)
    if problems:
        raise ConfigError(path, problems)
    cfg.path = str(path)
    return cfg


def load_config(path: str | Path) -> Config:
    """Read and validate a config file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, [("(file)", f"cannot read: {exc.strerror}", "check the path")]) from None
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        field = f"line {where.line + 1}, column {where.column + 1}" if where else "(file)"
        raise ConfigError(path, [(field, f"not valid YAML/UTF-8: {getattr(exc, 'problem', exc)}",
                                  "fix the syntax (indentation, quotes, colons); save as UTF-8")]) from None
    cfg = parse_config(data, path)
    cfg.digest = hashlib.sha256(raw).hexdigest()[:16]
    return cfg
