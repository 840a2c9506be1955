"""Voilà's page rendering, made cheap per visitor and unable to hang on a template error.

Why, for a year group arriving at once (issue 11), measured with py-spy on a server whose pool
was empty: the server's one thread spent about a third of each page's time loading Jinja
templates, converting the same Markdown and compressing many small chunks, work that is the
same for every visitor of a page. Here:

- One Jinja environment per template setup for the whole server (:class:`NetwiseExporter`).
  Voilà makes a new exporter, and so a new environment, for every page; each new environment
  loaded every template of the page again. Exporters of this app differ only in the page
  they render (its notebook and resources, passed to the template at render time): their
  settings, filters and templates are the same, so the first environment serves them all and
  its templates are loaded once.
- The notebook is not validated against its schema again after each preprocessor.
- A Markdown cell's HTML is converted once per source (:meth:`NetwiseExporter.markdown2html`):
  lesson text is the same for every visitor.
- A page is sent whole (:func:`whole_page`): one compressed response instead of a flush per
  cell, and a page whose template fails gets the friendly error page with status 500. Before,
  Voilà rendered a page whose kernel was started on request in a task of its own; a template
  error ended that task silently and the visitor's request waited forever.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import jinja2
from voila.exporter import VoilaExporter
from voila.notebook_renderer import NotebookRenderer

# (template paths, template name) -> the environment every exporter of that setup uses.
ENVIRONMENTS: dict[tuple[Any, ...], jinja2.Environment] = {}


class NetwiseExporter(VoilaExporter):
    """Voilà's exporter sharing one Jinja environment (and so its loaded templates) per setup.

    netwise/app/server.py patches it in for Voilà's ``NotebookRenderer``.
    """

    def _create_environment(self) -> Any:
        key = (tuple(self.template_paths), self.template_name, self.template_extension, self.enable_async)
        environment = ENVIRONMENTS.get(key)
        if environment is None:
            environment = ENVIRONMENTS[key] = super()._create_environment()
        return environment

    def _validate_preprocessor(self, nbc: Any, preprocessor: Any) -> None:
        """No schema validation of the whole notebook after each preprocessor, for every visitor.

        Served notebooks are NetWise's own, built and validated once when the server starts;
        a dozen validations per page were a twentieth of the server's work for it.
        """

    @jinja2.pass_context
    def markdown2html(self, context: Any, source: str) -> str:
        attachments = context["cell"].get("attachments") if "cell" in context else None
        if attachments:  # images carried by the cell itself: rare, and not worth keeping
            return str(super().markdown2html(context, source))
        html = MARKDOWN.get(source)
        if html is None:
            if len(MARKDOWN) >= MARKDOWN_LIMIT:  # the served pages' text is bounded; a guard anyway
                MARKDOWN.clear()
            html = MARKDOWN[source] = str(super().markdown2html(context, source))
        return html


# Markdown source -> its HTML. Exporters of this app convert alike (see the module's docstring).
MARKDOWN: dict[str, str] = {}
MARKDOWN_LIMIT = 4096


class RenderFailed(str):
    """What a page's rendering yields, last, when its template or notebook execution raised."""

    error: BaseException

    def __new__(cls, error: BaseException) -> RenderFailed:
        failed = super().__new__(cls, "")
        failed.error = error
        return failed


class PageRenderError(RuntimeError):
    """A lesson page could not be rendered (its cause is chained)."""


class NetwiseRenderer(NotebookRenderer):
    """Voilà's renderer whose failure reaches the request (netwise/app/server.py patches it in).

    Voilà's handler runs the renderer of a kernel started on request in a task that feeds a
    queue, and waits for the queue's end, sending heartbeats meanwhile. An exception ended the
    task without ending the queue. Here the generator ends with a :class:`RenderFailed` snippet
    instead, which :func:`whole_page` turns back into an error in the request.
    """

    def generate_content_generator(self, kernel_id: str | None = None, kernel_future: Any = None) -> Any:
        return _failure_as_snippet(super().generate_content_generator(kernel_id, kernel_future))


async def _failure_as_snippet(snippets: AsyncIterator[tuple[str, Any]]) -> AsyncIterator[tuple[str, Any]]:
    try:
        async for snippet in snippets:
            yield snippet
    except Exception as exc:
        yield RenderFailed(exc), {}


async def whole_page(snippets: AsyncIterator[str]) -> AsyncIterator[str]:
    """The page Voilà renders, in one piece once complete; :class:`PageRenderError` if it failed.

    Nothing is sent before the page is complete, so a failure can still answer the friendly
    error page with status 500 (netwise/app/handlers.py).
    """
    parts: list[str] = []
    async for snippet in snippets:
        if isinstance(snippet, RenderFailed):
            raise PageRenderError("the page's template or notebook failed") from snippet.error
        parts.append(snippet)
    yield "".join(parts)
