"""``{% personal %}``: the part of a template that differs from one person to the next.

    {% load shell %}
    {% for module in modules %}
        <li>{% personal module=module %}{% include "status.html" %}{% endpersonal %}</li>
    {% endfor %}

A region given a name (``{% personal "panel" %}``) is rendered once per request and repeated
wherever that name appears again (a panel shown in two places for two screen widths).

In an ordinary render the region renders in place, as if the tag were not there. While a page's
shell is rendered (``infrastructure.shell``), the region becomes a marker, keeping its nodes and the
values of the variables it names (a loop's current item), and every request renders it with its
own context. Everything outside a region is shared by all who see the page and must not read the
user, the CSRF token, messages, the apps' slots or the request's session, cookies or query string.
"""

from django import template

from infrastructure import shell

register = template.Library()


class PersonalNode(template.Node):
    def __init__(self, nodelist, values, name=None):
        self.nodelist = nodelist
        self.values = values
        self.name = name

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.values.items()}
        regions = shell.recording()
        if regions is not None:
            return shell.mark(regions, self, values)
        with context.push(values):
            return self.render_region(context)

    def render_region(self, context):
        if self.name is None:
            return self.nodelist.render(context)
        rendered = context.render_context.get(("personal", self.name))
        if rendered is None:
            rendered = self.nodelist.render(context)
            context.render_context[("personal", self.name)] = rendered
        return rendered


@register.tag
def personal(parser, token):
    bits = token.split_contents()[1:]
    name = None
    if bits and "=" not in bits[0]:
        name = bits.pop(0)
        if len(name) < 2 or name[0] != name[-1] or name[0] not in "\"'":
            raise template.TemplateSyntaxError("{% personal %}'s name is a quoted string")
        name = name[1:-1]
    values = template.base.token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError("{% personal %} takes a name and name=value arguments")
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(nodelist, values, name)
