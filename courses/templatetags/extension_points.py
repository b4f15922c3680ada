from django import template

from courses.extension_points import Fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def render_fragment(context: template.Context, fragment: Fragment, **extra: object) -> str:
    """Render an app's fragment with the page's context underneath its own variables."""
    with context.push(**fragment.context, **extra):
        return context.template.engine.get_template(fragment.template).render(context)
