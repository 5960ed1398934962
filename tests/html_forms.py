"""Read a form out of a rendered page and post it back the way a browser would.

Tests change only what a person could change on the page: setting a field the page
does not render is an error, so a test can never pass by posting data the form
would not have sent.
"""

from html.parser import HTMLParser

SKIPPED_INPUT_TYPES = {"submit", "button", "image", "reset", "file"}


class RenderedForm:
    def __init__(self, action, method, controls, submits):
        self.action = action
        self.method = method
        self.controls = controls  # [name, value] pairs in page order, as a browser sends them
        self.submits = submits  # names of the submit buttons
        self.names = {name for name, _ in controls}
        self.options = {}  # select name -> its option values

    def __contains__(self, name):
        return name in self.names

    def __getitem__(self, name):
        values = self.getlist(name)
        if len(values) != 1:
            raise KeyError(f"{name} has {len(values)} values: {values}")
        return values[0]

    def getlist(self, name):
        if name not in self.names:
            raise KeyError(f"the form has no field {name!r}")
        return [value for key, value in self.controls if key == name]

    def __setitem__(self, name, value):
        """Set a field (a list sets every value of a multiple select or checkboxes)."""
        if name not in self.names and name not in self.options:
            raise KeyError(f"the form has no field {name!r}")
        values = value if isinstance(value, list) else [value]
        position = next((i for i, (key, _) in enumerate(self.controls) if key == name), None)
        self.controls = [pair for pair in self.controls if pair[0] != name]
        position = len(self.controls) if position is None else position
        self.controls[position:position] = [[name, str(v)] for v in values]
        self.names.add(name)

    def uncheck(self, name):
        """Untick a checkbox (or clear a multiple select): the browser then sends nothing."""
        if name not in self.names:
            raise KeyError(f"the form has no ticked field {name!r}")
        self.controls = [pair for pair in self.controls if pair[0] != name]
        self.names.discard(name)

    def add_inline_form(self, prefix):
        """What the admin's "Add another" does: copy the empty form, count one more form."""
        total_name = f"{prefix}-TOTAL_FORMS"
        index = int(self[total_name])
        template = f"{prefix}-__prefix__-"
        added = [
            [name.replace("__prefix__", str(index)), value]
            for name, value in self.controls
            if name.startswith(template)
        ]
        if not added:
            raise KeyError(f"the form has no empty {prefix} form to copy")
        self.controls.extend(added)
        self.names.update(name for name, _ in added)
        for name, values in list(self.options.items()):
            if name.startswith(template):
                self.options[name.replace("__prefix__", str(index))] = values
        self[total_name] = index + 1
        return f"{prefix}-{index}-"

    def data(self, submit=None):
        data = {}
        for name, value in self.controls:
            data.setdefault(name, []).append(value)
        if submit is not None:
            if submit not in self.submits:
                raise KeyError(f"the form has no submit button {submit!r}")
            data[submit] = [self.submits[submit]]
        return data

    def post(self, client, url, submit=None, **extra):
        return client.post(self.action or url, self.data(submit), **extra)


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.found = None
        self.inside = False
        self.controls = []
        self.submits = {}
        self.options = {}
        self.select = None  # [name, multiple, selected values, first value]
        self.option = None  # [value or None, text]
        self.textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if self.found is None and (self.form_id is None or attrs.get("id") == self.form_id):
                self.found = attrs
                self.inside = True
            return
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind == "submit":
                self.submits[name] = attrs.get("value", "")
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.controls.append([name, attrs.get("value", "on")])
                else:
                    self.options.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in SKIPPED_INPUT_TYPES:
                self.controls.append([name, attrs.get("value", "")])
        elif tag == "button" and name and attrs.get("type", "submit") == "submit":
            self.submits[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self.select = [name, "multiple" in attrs, [], None]
            self.options[name] = []
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "", "selected" in attrs]
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.option is not None:
            self.option[1] += data
        elif self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option" and self.option is not None:
            self._end_option()
        elif tag == "select" and self.select is not None:
            if self.option is not None:
                self._end_option()
            name, multiple, selected, first = self.select
            if not selected and not multiple and first is not None:
                selected = [first]  # a browser sends the first option of a single select
            self.controls.extend([name, value] for value in selected)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # HTML drops one newline right after <textarea>.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self.controls.append([name, text])
            self.textarea = None

    def _end_option(self):
        value, text, selected = self.option
        value = text.strip() if value is None else value
        name = self.select[0]
        self.options[name].append(value)
        if self.select[3] is None:
            self.select[3] = value
        if selected:
            self.select[2].append(value)
        self.option = None


def parse_form(html, form_id=None):
    """The form with this id (or the first form) of a page, as a browser would submit it."""
    parser = _FormParser(form_id)
    parser.feed(html if isinstance(html, str) else html.decode())
    parser.close()
    if parser.found is None:
        raise AssertionError(f"the page has no form with id {form_id!r}")
    form = RenderedForm(
        parser.found.get("action", ""),
        parser.found.get("method", "get").lower(),
        parser.controls,
        parser.submits,
    )
    form.options = parser.options
    return form


def form_data(html, form_id):
    """The fields of form `form_id` as a dict of lists, the way the browser would send them."""
    return parse_form(html, form_id).data()
