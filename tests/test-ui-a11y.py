#!/usr/bin/python3
# test-ui-a11y.py — every interactive widget of the main window has a name a screen reader can say
#
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: test-ui-a11y.py [--exit-status] APP SAMPLE
#
# Run under an X server and a D-Bus session bus of its own (tests/meson.build wraps it in
# xvfb-run and dbus-run-session). It starts the accessibility bus (at-spi-bus-launcher), then
# the real app twice: on its empty page (the sample buttons) and with SAMPLE open, waiting for
# the prediction. Each time it walks the whole accessible tree the way a screen reader sees it
# (AT-SPI, through libatspi) and lists every interactive widget whose name is empty or a type
# name ("GtkButton": what GTK 4.8 says when a widget has no name; tooltips are not names).
# With the picture open it also opens each menu button's popover and checks what is in it.
# Output is TAP on stdout; the app's own output goes to stderr. Every wait has a timeout and
# the app and the bus launcher are stopped whatever happens. With --exit-status (for meson's
# should_fail, which looks at the exit status only) a skip exits with 77 and an error of the
# test itself (a timeout, a missing bus) with 99, so neither passes for an expected failure;
# unnamed widgets exit with 1.

import os
import re
import signal
import subprocess
import sys
import time

LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
APPLICATION_ID = "org.vggscope.VggScope"   # the app's name on the session bus
STEP_TIMEOUT = 60          # seconds for the app to appear, to load, to predict
ACTION_TIMEOUT = 20        # seconds for a popover to open or close
WATCHDOG = 240             # seconds for the whole test; meson's own timeout is 300
MAX_NODES = 20000          # a runaway tree is an error, not a hang

# Roles a user operates. Rows and cells count when they can take the focus or a selection.
INTERACTIVE_ROLES = {
    "push button", "toggle button", "check box", "radio button", "combo box", "entry",
    "password text", "spin button", "slider", "switch", "link", "menu item",
    "check menu item", "radio menu item", "page tab", "push button menu", "toggle",
}
ROW_ROLES = {"list item", "table row", "table cell", "tree item"}
# A name that is a type name is GTK's fallback, not a name: the whole name, or any word in it.
TYPE_NAME = re.compile(r"\b(Gtk|Adw|Scope)[A-Z][A-Za-z]*\b")
# One row of the prediction chart, as the chart writes it: "Ankle boot: 99.2 %"
PREDICTION_ROW = re.compile(r"^.+: (\d+[.,]\d|< 0[.,]1) %$")

tap_count = 0
failed = False
exit_status = False        # --exit-status
children = []              # (name, Popen) to stop at exit


def tap(ok, description, diagnostics=()):
    global tap_count, failed
    tap_count += 1
    failed = failed or not ok
    print(f"{'ok' if ok else 'not ok'} {tap_count} - {description}", flush=True)
    for line in diagnostics:
        print(f"# {line}", flush=True)


def bail_out(message):
    print(f"Bail out! {message}", flush=True)
    stop_children()
    sys.exit(99 if exit_status else 1)


def skip(message):
    print(f"1..0 # SKIP {message}", flush=True)
    return 77 if exit_status else 0


def stop_children():
    while children:
        name, process = children.pop()
        if process.poll() is not None:
            continue
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            print(f"# {name} did not stop on SIGTERM; killing it", file=sys.stderr)
            process.kill()
            process.wait(timeout=10)


def on_watchdog(signum, frame):
    bail_out(f"the test took longer than {WATCHDOG} s")


def wait_for(what, condition, timeout, interval=0.25):
    """Calls condition() until it returns something true; bails out after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except GLib.Error as error:          # the app may be busy or not yet on the bus
            value = None
            last_error = error.message
        else:
            last_error = None
        if value:
            return value
        if time.monotonic() > deadline:
            bail_out(f"timed out after {timeout} s waiting for {what}"
                     + (f" (last error: {last_error})" if last_error else ""))
        time.sleep(interval)


# ---- the accessible tree ----

class Node:
    __slots__ = ("accessible", "role", "name", "states", "path", "children", "n_actions")

    def __init__(self, accessible, path):
        self.accessible = accessible
        self.role = accessible.get_role_name()
        self.name = accessible.get_name() or ""
        self.states = {s.value_nick for s in accessible.get_state_set().get_states()}
        self.path = path
        self.children = []

    def label(self):
        return f"{self.role} {self.name!r}" if self.name else self.role

    def text(self):
        """The text of this node and its descendants' labels, as a reader would assemble it."""
        parts = [self.name] if self.role in ("label", "text") and self.name else []
        for child in self.children:
            parts.append(child.text())
        return " ".join(p for p in parts if p)


def walk(accessible, path=(), count=None):
    count = count if count is not None else [0]
    count[0] += 1
    if count[0] > MAX_NODES:
        bail_out(f"more than {MAX_NODES} accessible objects: is the tree cyclic?")
    node = Node(accessible, path)
    for i in range(accessible.get_child_count()):
        child = accessible.get_child_at_index(i)
        if child is not None:
            node.children.append(walk(child, path + ((node.label(), i),), count))
    return node


def nodes(node):
    yield node
    for child in node.children:
        yield from nodes(child)


def is_interactive(node):
    if node.role in INTERACTIVE_ROLES:
        return True
    if node.role == "text" and "editable" in node.states:
        return True
    return node.role in ROW_ROLES and bool(node.states & {"focusable", "selectable"})


def unnamed(node):
    """Why @node has no name a screen reader can say, or None."""
    name = node.name.strip()
    if node.role in ROW_ROLES and (not name or TYPE_NAME.search(name)):
        # a row is read out by its content (the cells' labels)
        content = " ".join(c.text() for c in node.children).strip()
        if content and not TYPE_NAME.fullmatch(content):
            return None
    if not name:
        return "no name"
    if TYPE_NAME.search(name):
        return "a type name"
    return None


def where(node):
    """The named ancestors of @node (unnamed panels elided), then its index path."""
    chain, elided = [], False
    for label, _ in node.path:
        if "'" in label:
            chain.append(("… > " if elided else "") + label)
            elided = False
        else:
            elided = True
    indices = "/".join(str(i) for _, i in node.path)
    return f"{' > '.join(chain)}{' > …' if elided else ''} (child indices {indices})"


def describe(node, why):
    shows = " ".join(c.text() for c in node.children).strip()
    return (f"{node.label()}: {why}" + (f", shows {shows!r}" if shows else "")
            + f"; in {where(node)}")


def check(tree, what):
    interactive = [n for n in nodes(tree) if is_interactive(n)]
    bad = [(n, unnamed(n)) for n in interactive]
    bad = [(n, why) for n, why in bad if why is not None]
    lines = [describe(n, why) for n, why in bad]
    tap(not bad, f"{what}: {len(interactive) - len(bad)} of {len(interactive)} interactive "
        f"widgets have a name", lines)
    return interactive


# ---- the app ----

def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def name_has_owner(name):
    reply = session.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                              "org.freedesktop.DBus", "NameHasOwner",
                              GLib.Variant("(s)", (name,)), GLib.VariantType("(b)"),
                              Gio.DBusCallFlags.NONE, 5000, None)
    return reply.unpack()[0]


def start_app(app_path, arguments):
    # a second instance would hand its file to the first one and exit
    wait_for("the previous instance to leave the session bus",
             lambda: not name_has_owner(APPLICATION_ID), STEP_TIMEOUT)
    env = dict(os.environ)
    # the other GUI tests turn accessibility off; this one needs it
    env.pop("NO_AT_BRIDGE", None)
    env.pop("GTK_A11Y", None)
    process = subprocess.Popen([app_path] + arguments, env=env, stdin=subprocess.DEVNULL,
                               stdout=sys.stderr, stderr=sys.stderr)
    children.append(("the app", process))
    app = wait_for("the app on the accessibility bus",
                   lambda: process.poll() is None and find_app(process.pid)
                   or (process.poll() is not None
                       and bail_out(f"the app exited with status {process.returncode}")),
                   STEP_TIMEOUT)
    return process, app


def stop_app(process):
    children.remove(("the app", process))
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
        tap(False, "the app stopped on SIGTERM")
        return
    tap(process.returncode in (0, -signal.SIGTERM), "the app stopped on SIGTERM",
        [f"exit status {process.returncode}"])


def snapshot(app):
    app.clear_cache()
    return walk(app)


def sample_buttons(tree):
    """The sample gallery's buttons: push buttons in the cells of a table (a GtkFlowBox)."""
    return [n for n in nodes(tree) if n.role == "push button" and n.path
            and n.path[-1][0].startswith("table cell")]


def prediction_rows(tree):
    return [n for n in nodes(tree) if n.role == "list item" and PREDICTION_ROW.match(n.name)]


def menu_buttons(tree):
    """GTK 4.8 shows a GtkMenuButton as a push button around its own (toggle) button."""
    return [n for n in nodes(tree) if n.role in ("push button", "toggle button")
            and any(c.role in ("push button", "toggle button") for c in n.children)]


def popover_of(app, button_path):
    tree = snapshot(app)
    for node in nodes(tree):
        if node.path == button_path[0] and node.label() == button_path[1]:
            # everything beside the button itself: the popover, while it is open
            return node, [c for c in node.children
                          if c.role not in ("push button", "toggle button")]
    return None, []


def check_menus(app, tree):
    for button in menu_buttons(tree):
        inner = next(c for c in button.children if c.role in ("push button", "toggle button"))
        place = f"{button.label()} in {where(button)}"
        # (Accessible.get_name would shadow the Action interface's: call it by interface)
        actions = [Atspi.Action.get_action_name(inner.accessible, i)
                   for i in range(Atspi.Action.get_n_actions(inner.accessible))]
        if "click" not in actions:
            tap(False, "a menu button opens through its 'click' action",
                [f"{place}: actions {actions}"])
            continue
        key = (button.path, button.label())
        Atspi.Action.do_action(inner.accessible, actions.index("click"))
        node, menus = wait_for(f"the popover of {place}",
                               lambda: (lambda r: r if r[1] else None)(popover_of(app, key)),
                               ACTION_TIMEOUT)
        for menu in menus:
            check(menu, f"popover of the menu button in {where(button)}")
        Atspi.Action.do_action(inner.accessible, actions.index("click"))
        wait_for(f"the popover of {place} to close",
                 lambda: not popover_of(app, key)[1], ACTION_TIMEOUT)


def main():
    global GLib, Gio, Atspi, exit_status, session
    arguments = sys.argv[1:]
    if arguments[:1] == ["--exit-status"]:
        exit_status = True
        arguments = arguments[1:]
    if len(arguments) != 2:
        print("usage: test-ui-a11y.py [--exit-status] APP SAMPLE", file=sys.stderr)
        return 2
    app_path, sample = arguments

    # what is genuinely absent is skipped; anything else that goes wrong fails
    try:
        import gi
        gi.require_version("Atspi", "2.0")
        from gi.repository import Atspi, Gio, GLib
    except (ImportError, ValueError) as error:
        return skip(f"libatspi's introspection data is missing (gir1.2-atspi-2.0, "
                    f"python3-gi): {error}")
    if not os.access(LAUNCHER, os.X_OK):
        return skip(f"{LAUNCHER} is missing (at-spi2-core)")
    for variable in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        if not os.environ.get(variable):
            bail_out(f"{variable} is not set: run under xvfb-run and dbus-run-session")
    if not os.access(app_path, os.X_OK) or not os.path.isfile(sample):
        bail_out(f"{app_path} or {sample} is missing")

    signal.signal(signal.SIGALRM, on_watchdog)
    signal.alarm(WATCHDOG)
    signal.signal(signal.SIGTERM, lambda signum, frame: bail_out("terminated"))

    # the accessibility bus and its registry, on this session bus only
    launcher = subprocess.Popen([LAUNCHER, "--launch-immediately"], stdin=subprocess.DEVNULL,
                                stdout=sys.stderr, stderr=sys.stderr)
    children.append(("at-spi-bus-launcher", launcher))
    session = Gio.bus_get_sync(Gio.BusType.SESSION, None)

    wait_for("the accessibility bus (org.a11y.Bus)",
             lambda: launcher.poll() is None and name_has_owner("org.a11y.Bus")
             or (launcher.poll() is not None
                 and bail_out(f"{LAUNCHER} exited with status {launcher.returncode}")),
             STEP_TIMEOUT)
    if Atspi.init() not in (0, 1):
        bail_out("libatspi could not connect to the accessibility bus")
    # no D-Bus call to the app may block for longer than this (milliseconds)
    Atspi.set_timeout(5000, 30000)

    # 1. the empty page: the sample gallery
    process, app = start_app(app_path, [])
    tree = wait_for("the empty page with its sample buttons",
                    lambda: (lambda t: t if sample_buttons(t) else None)(snapshot(app)),
                    STEP_TIMEOUT)
    tap(True, f"empty page: {len(sample_buttons(tree))} sample buttons shown")
    check(tree, "empty page")
    stop_app(process)

    # 2. a picture open, its prediction shown
    process, app = start_app(app_path, [sample])
    tree = wait_for("the prediction of " + os.path.basename(sample),
                    lambda: (lambda t: t if prediction_rows(t) else None)(snapshot(app)),
                    STEP_TIMEOUT)
    tap(True, "picture open: the prediction reads " + "; ".join(
        n.name for n in prediction_rows(tree)))
    check(tree, "picture open")
    check_menus(app, tree)
    tap(True, f"picture open: {len(menu_buttons(tree))} menu buttons opened and closed")
    stop_app(process)

    stop_children()
    signal.alarm(0)
    print(f"1..{tap_count}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        stop_children()
