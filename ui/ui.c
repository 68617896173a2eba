/* ui.c - the console's screen manager and event loop: one poll() over
 * the terminal, the signal self-pipe and the HTTP engine's sockets and
 * timer. Handlers mark what changed and return flags; the loop draws
 * once per pass. The view stack gives Back. */
#include "config.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/client.h"
#include "cli/cli.h"
#include "core/audit-session.h"
#include "core/session.h"
#include "svc/sts.h"
#include "ui/fmt.h"
#include "ui/prompt.h"
#include "ui/tty.h"
#include "ui/ui-int.h"
#include "ui/ui.h"
#include "util/log.h"
#include "util/str.h"
#include "util/time.h"
#include "util/xalloc.h"

#define UI_STACK_MAX	32
#define UI_MAX_FDS	64
#define UI_NAMES_MAX	20000
#define UI_MIN_W	60
#define UI_MIN_H	15
#define UI_SPIN_MS	120
#define UI_MSG_MS	5000
#define UI_MSG_LINES	3
#define UI_TIMERS_MAX	(UI_STACK_MAX + 16)

struct ui_timer {
	ui_timeout_fn	 due_in;	/* not "timeout": a curses macro */
	ui_tick_fn	 tick;
	void		*arg;
};

struct ui {
	struct cli		*cli;
	struct aws_client	*client;
	struct audit_session	*audit;		/* with the client */
	size_t			 audit_pending;	/* as last drawn */
	uint64_t		 audit_records;	/* as last drawn (:audit is live) */
	char			*opt_region;	/* from :region */
	char			*opt_profile;	/* from :profile */
	bool			 reconnect;	/* pending, done by the loop */

	enum ui_identity	 id_state;
	char			*account;
	char			*arn;
	struct sv_err		 id_err;
	struct load		 id_load;

	struct view		*stack[UI_STACK_MAX];
	int			 depth;

	int			 flags;		/* UI_REDRAW, UI_QUIT */
	int			 exit_status;
	bool			 confirm_quit;

	char			 msg[SV_ERR_MSG_MAX];
	bool			 msg_error;
	int64_t			 msg_until;

	unsigned		 spin;
	int64_t			 next_tick;

	char			**names;	/* sorted, for completion */
	size_t			 nnames, names_cap;

	char			*search;	/* the last search (n, N) */
	char			*filter_before;	/* to restore on Esc */
	size_t			 search_from;	/* the row a search started on */

	struct ui_timer		 timers[UI_TIMERS_MAX];
	size_t			 ntimers;

	/* A runbook session: the one this console's audit session is the
	 * log of (its id is the audit session's, so one per connection). */
	struct session		*session;
	bool			 session_owned;	/* started from :runbooks */
	bool			 session_used;	/* the id is taken */
	/* salvage run / resume: the CLI's client and audit session. */
	bool			 borrowed;
};

static struct view *
top(struct ui *ui)
{
	return ui->depth > 0 ? ui->stack[ui->depth - 1] : NULL;
}

void
ui_dirty(struct ui *ui)
{
	ui->flags |= UI_REDRAW;
}

void
ui_message(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->msg_error = error;
	ui->msg_until = sv_monotonic_ms() + UI_MSG_MS * (error ? 2 : 1);
	ui->flags |= UI_REDRAW;
}

struct aws_client *
ui_client(struct ui *ui)
{
	return ui->client;
}

bool
ui_operate(struct ui *ui)
{
	return ui->cli->operate;
}

struct audit_session *
ui_audit(struct ui *ui)
{
	return ui->audit;
}

void
ui_set_session(struct ui *ui, struct session *s, bool owned)
{
	ui->session = s;
	ui->session_owned = owned;
	if (s != NULL)
		ui->session_used = true;
	ui->flags |= UI_REDRAW;
}

struct session *
ui_session(struct ui *ui)
{
	return ui->session;
}

bool
ui_session_used(struct ui *ui)
{
	return ui->session_used;
}

bool
ui_confirm(struct ui *ui, const char *question, const char *expected,
    const char *typed)
{
	struct audit	*log = ui->audit != NULL ? audit_session_log(ui->audit) : NULL;
	struct sv_err	 err;
	bool		 ok = typed != NULL && strcmp(typed, expected) == 0;

	if (log == NULL) {
		ui_message(ui, true, "no audit log is open: nothing was changed");
		return false;
	}
	sv_err_init(&err);
	if (audit_confirm(log, question, expected, typed, "tty", ok, &err) != SV_OK) {
		ui_message(ui, true, "%s: nothing was changed", err.msg);
		return false;
	}
	if (!ok)
		ui_message(ui, true, "not confirmed: '%s' is not '%s'; nothing was "
		    "changed", typed != NULL ? typed : "", expected);
	return ok;
}

void
ui_timer_add(struct ui *ui, ui_timeout_fn due_in, ui_tick_fn tick, void *arg)
{
	ui_timer_remove(ui, arg);
	if (ui->ntimers == UI_TIMERS_MAX)
		tty_fatal("too many timers");
	ui->timers[ui->ntimers].due_in = due_in;
	ui->timers[ui->ntimers].tick = tick;
	ui->timers[ui->ntimers].arg = arg;
	ui->ntimers++;
}

void
ui_timer_remove(struct ui *ui, void *arg)
{
	for (size_t i = 0; i < ui->ntimers; i++) {
		if (ui->timers[i].arg == arg) {
			memmove(ui->timers + i, ui->timers + i + 1,
			    (ui->ntimers - i - 1) * sizeof *ui->timers);
			ui->ntimers--;
			return;
		}
	}
}

/* The soonest timer, in ms (-1: none). */
static int
timers_timeout(struct ui *ui)
{
	int	t = -1;

	for (size_t i = 0; i < ui->ntimers; i++) {
		int	 m = ui->timers[i].due_in(ui->timers[i].arg);

		if (m >= 0 && (t < 0 || m < t))
			t = m;
	}
	if (ui->audit != NULL) {
		int	 m = audit_session_timeout_ms(ui->audit);

		if (m >= 0 && (t < 0 || m < t))
			t = m;
	}
	return t;
}

/* Ticks the timers that have run out. A tick may add or remove timers:
 * each is looked up again before it runs. */
static void
timers_run(struct ui *ui)
{
	struct ui_timer	 due[UI_TIMERS_MAX];
	size_t		 n = 0;

	for (size_t i = 0; i < ui->ntimers; i++)
		if (ui->timers[i].due_in(ui->timers[i].arg) == 0)
			due[n++] = ui->timers[i];
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < ui->ntimers; i++) {
			if (ui->timers[i].arg == due[k].arg &&
			    ui->timers[i].tick == due[k].tick) {
				due[k].tick(due[k].arg);
				break;
			}
		}
	}
	if (ui->audit != NULL && audit_session_timeout_ms(ui->audit) == 0)
		audit_session_tick(ui->audit);
}

const char *
ui_spinner(struct ui *ui)
{
	static const char *const ascii[] = { "|", "/", "-", "\\" };
	static const char *const braille[] = {
		"\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9", "\xe2\xa0\xb8",
		"\xe2\xa0\xbc", "\xe2\xa0\xb4", "\xe2\xa0\xa6", "\xe2\xa0\xa7",
		"\xe2\xa0\x87", "\xe2\xa0\x8f"
	};

	if (MB_CUR_MAX > 1)
		return braille[ui->spin % 10];
	return ascii[ui->spin % 4];
}

void
ui_add_name(struct ui *ui, const char *uri)
{
	size_t	lo = 0, hi = ui->nnames;

	while (lo < hi) {
		size_t	mid = (lo + hi) / 2;
		int	c = strcmp(ui->names[mid], uri);

		if (c == 0)
			return;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (ui->nnames >= UI_NAMES_MAX)
		return;
	if (ui->nnames == ui->names_cap) {
		ui->names_cap = ui->names_cap == 0 ? 64 : ui->names_cap * 2;
		ui->names = xreallocarray(ui->names, ui->names_cap, sizeof *ui->names);
	}
	memmove(ui->names + lo + 1, ui->names + lo,
	    (ui->nnames - lo) * sizeof *ui->names);
	ui->names[lo] = xstrdup(uri);
	ui->nnames++;
}

struct view *
ui_view_below(struct ui *ui, struct view *v)
{
	for (int i = ui->depth - 1; i > 0; i--)
		if (ui->stack[i] == v)
			return ui->stack[i - 1];
	return NULL;
}

enum ui_identity
ui_identity(struct ui *ui, const char **arn, const struct sv_err **err)
{
	if (arn != NULL)
		*arn = ui->arn;
	if (err != NULL)
		*err = &ui->id_err;
	return ui->id_state;
}

/* ---- the view stack ---- */

void
ui_push(struct ui *ui, const struct view_class *cls, const struct resource *res)
{
	ui_push_arg(ui, cls, res, NULL);
}

void
ui_push_arg(struct ui *ui, const struct view_class *cls, const struct resource *res,
    void *arg)
{
	struct view *v;

	if (ui->depth == UI_STACK_MAX) {
		ui_message(ui, true, "too many screens open: go back (q) first");
		return;
	}
	v = xcalloc(1, sizeof *v);
	v->cls = cls;
	v->ui = ui;
	v->arg = arg;
	ui->stack[ui->depth++] = v;
	cls->enter(v, res);
	ui->flags |= UI_REDRAW;
}

void
ui_pop(struct ui *ui)
{
	struct view *v = top(ui);

	if (v == NULL)
		return;
	v->cls->leave(v);
	ui->depth--;
	free(v);
	ui->flags |= UI_REDRAW;
}

sv_result
ui_open_uri(struct ui *ui, const char *uri, struct sv_err *err)
{
	struct resource	 res;
	const struct view_class *cls = NULL;
	sv_result	 r;

	memset(&res, 0, sizeof res);
	if ((r = resource_parse(uri, &res, err)) != SV_OK)
		goto fail;
	switch (res.kind) {
	case RES_ALL:
		switch (res.scheme) {
		case RES_S3:
			cls = &view_buckets;
			break;
		case RES_DYNAMODB:
			cls = &view_tables;
			break;
		case RES_RDS:
			cls = &view_instances;
			break;
		case RES_RDS_CLUSTER:
			cls = &view_clusters;
			break;
		case RES_BACKUP:
			cls = &view_vaults;
			break;
		default:
			break;
		}
		break;
	case RES_BUCKET:
	case RES_PREFIX:
		cls = &view_prefix;
		break;
	case RES_OBJECT:
		cls = &view_versions;
		break;
	case RES_TABLE:
		cls = &view_table;
		break;
	case RES_INSTANCE:
		cls = &view_instance;
		break;
	case RES_CLUSTER:
		cls = &view_cluster;
		break;
	case RES_VAULT:
		cls = &view_vault;
		break;
	}
	if (cls == NULL) {
		r = sv_err_set(err, SV_E_USAGE, "the console cannot show %s yet; "
		    "use the commands (salvage --help)", uri);
		goto fail;
	}
	ui_push(ui, cls, res.kind == RES_ALL ? NULL : &res);
fail:
	resource_free(&res);
	return r;
}

/* ---- connection and identity ---- */

static bool
identity_cb(void *arg, const struct sts_identity *id)
{
	struct ui *ui = arg;

	free(ui->account);
	free(ui->arn);
	ui->account = xstrdup(id->account != NULL ? id->account : "?");
	ui->arn = xstrdup(id->arn != NULL ? id->arn : "");
	return true;
}

static void
identity_done(void *arg, sv_result r, const struct sv_err *err, size_t pages)
{
	struct ui *ui = arg;

	load_end(&ui->id_load, r, err, pages);
	if (r == SV_OK)
		ui->id_state = UI_ID_OK;
	else if (r != SV_E_CANCELLED) {
		ui->id_state = UI_ID_FAILED;
		sv_err_init(&ui->id_err);
		sv_err_set(&ui->id_err, r, "%s", ui->id_load.err.msg);
	}
	ui->flags |= UI_REDRAW;
}

static void	draw(struct ui *, const char *connecting);

static void
connect_client(struct ui *ui)
{
	struct aws_options	 o = ui->cli->aws;
	const struct aws_creds	*creds;
	struct sv_err		 err;

	sv_err_init(&err);
	sv_err_init(&ui->id_err);
	free(ui->account);
	free(ui->arn);
	ui->account = ui->arn = NULL;
	if (ui->borrowed) {
		/* salvage run / resume: the session's client and log. */
		ui->client = ui->cli->client;
		ui->audit = ui->cli->audit;
		ui->audit_pending = audit_pending_count(ui->audit);
		ui->id_state = UI_ID_LOADING;
		load_begin(&ui->id_load);
		load_started(&ui->id_load, sts_get_caller_identity(ui->client,
		    identity_cb, identity_done, ui));
		return;
	}
	if (ui->opt_region != NULL)
		o.region = ui->opt_region;
	if (ui->opt_profile != NULL)
		o.profile = ui->opt_profile;
	/* The one blocking step, before the loop: say so first, and let
	 * Ctrl-C end the credentials' part (see tty_blocking). */
	draw(ui, "connecting\xe2\x80\xa6  (Ctrl-C quits)");
	tty_blocking(true);
	ui->client = aws_client_new(&o, &err);
	if (ui->client == NULL)
		goto fail;
	aws_client_set_operate(ui->client, ui->cli->operate);
	if (aws_client_creds(ui->client, &creds, &err) != SV_OK)
		goto fail;
	/* Not while the audit log is being written to. */
	tty_blocking(false);
	/* The audit log and its gate (without them every change is
	 * refused): blocking like the credentials, before the loop. */
	{
		struct audit_session_opts ao = {
			.audit_dir = ui->cli->audit_dir,
			.audit_s3 = ui->cli->audit_s3,
			.operate = ui->cli->operate,
			.frontend = "tui",
		};

		ui->audit = audit_session_open(ui->client, &ao);
		ui->audit_pending = audit_pending_count(ui->audit);
	}
	ui->id_state = UI_ID_LOADING;
	load_begin(&ui->id_load);
	load_started(&ui->id_load, sts_get_caller_identity(ui->client, identity_cb,
	    identity_done, ui));
	return;
fail:
	tty_blocking(false);
	ui->id_state = UI_ID_FAILED;
	sv_err_set(&ui->id_err, err.code, "%s", err.msg[0] != '\0' ? err.msg :
	    sv_result_str(err.code));
}

/* Every view goes (their work is cancelled); the client stays. */
static void
close_views(struct ui *ui)
{
	if (prompt_active())
		prompt_cancel();
	while (ui->depth > 0)
		ui_pop(ui);
	load_cancel(&ui->id_load);
}

/* session-end and the last upload (blocking), then the client goes. */
static void
disconnect_client(struct ui *ui, int exit_status)
{
	close_views(ui);
	if (ui->session != NULL && ui->session_owned) {
		/* Saved; a session that is not finished keeps its audit chain
		 * open: salvage resume continues it. */
		if (session_get_state(ui->session) != SESSION_FINISHED &&
		    ui->audit != NULL)
			audit_session_keep_open(ui->audit);
		session_free(ui->session);
	}
	ui->session = NULL;
	if (ui->borrowed) {
		/* The CLI's: it closes them. */
		ui->audit = NULL;
		ui->client = NULL;
		ui->id_state = UI_ID_NONE;
		return;
	}
	if (ui->audit != NULL)
		audit_session_close(ui->audit, exit_status);
	ui->audit = NULL;
	ui->audit_pending = 0;
	if (ui->client != NULL)
		aws_client_free(ui->client);
	ui->client = NULL;
	ui->id_state = UI_ID_NONE;
}

void
ui_reconnect(struct ui *ui)
{
	ui->reconnect = true;	/* not from inside a view's handler */
}

static void
do_reconnect(struct ui *ui)
{
	ui->reconnect = false;
	close_views(ui);
	if (ui->audit != NULL)
		draw(ui, "closing the audit log of this session\xe2\x80\xa6");
	disconnect_client(ui, 0);
	connect_client(ui);
	ui_push(ui, &view_home, NULL);
}

/* ---- drawing ---- */

static void
draw_header(struct ui *ui, int w)
{
	const struct aws_config *cfg = ui->client != NULL ?
	    aws_client_config(ui->client) : NULL;
	const char *mode = ui->cli->operate ? " OPERATE " : " READ-ONLY ";
	char	 left[1024], endpoint[512] = "", pending[64] = "", sess[96] = "";
	int	 mw = (int)strlen(mode), pw;

	if (ui->client != NULL && aws_client_custom_endpoint(ui->client, AWS_SVC_S3))
		snprintf(endpoint, sizeof endpoint, "  endpoint %s",
		    aws_client_endpoint(ui->client, AWS_SVC_S3));
	if (ui->session != NULL)
		snprintf(sess, sizeof sess, "  session: %s", session_id(ui->session));
	snprintf(left, sizeof left, " salvage%s  account %s  region %s  profile %s%s",
	    sess,
	    ui->account != NULL ? ui->account :
	    ui->id_state == UI_ID_FAILED ? "?" : "\xe2\x80\xa6",
	    ui->client != NULL ? aws_client_region(ui->client) :
	    ui->opt_region != NULL ? ui->opt_region :
	    ui->cli->aws.region != NULL ? ui->cli->aws.region : "?",
	    cfg != NULL && cfg->profile != NULL ? cfg->profile :
	    ui->opt_profile != NULL ? ui->opt_profile :
	    ui->cli->aws.profile != NULL ? ui->cli->aws.profile : "default",
	    endpoint);
	/* Records not yet shipped to the audit bucket. */
	if (ui->audit_pending > 0)
		snprintf(pending, sizeof pending, " audit: %zu pending ",
		    ui->audit_pending);
	pw = (int)strlen(pending);
	if (pw + mw + 20 > w)
		pw = 0;
	wmove(stdscr, 0, 0);
	list_put_cell(stdscr, left, w - mw - pw > 0 ? w - mw - pw : 0, false,
	    ui_attr(UC_HEADER), 0, 0, 0);
	if (pw > 0) {
		wmove(stdscr, 0, w - mw - pw);
		list_put_cell(stdscr, pending, pw, false, ui_attr(UC_WARN), 0, 0, 0);
	}
	wmove(stdscr, 0, w - mw > 0 ? w - mw : 0);
	list_put_cell(stdscr, mode, mw < w ? mw : w, false,
	    ui_attr(ui->cli->operate ? UC_OPERATE : UC_READONLY), 0, 0, 0);
}

static const char *
default_hint(const struct view *v)
{
	if (v->cls->hint != NULL)
		return v->cls->hint;
	switch (v->cls->keys) {
	case KM_HOME:
		return "Enter open  / filter  : palette  ? help  t UTC/local  r refresh  q quit";
	case KM_HELP:
		return "/ filter  q back";
	default:
		return "Enter open  / filter  : palette  ? help  t UTC/local  r refresh  q back";
	}
}

/* Lines ui_draw_text takes for text at width w (at most UI_MSG_LINES). */
static int
msg_lines(const char *text, int w)
{
	size_t	 len = strlen(text);
	int	 n = 0;

	while (len > 0 && n < UI_MSG_LINES) {
		size_t	take = len;

		if ((int)take > w) {
			take = (size_t)w;
			for (size_t k = take; k > (size_t)w / 2; k--) {
				if (text[k] == ' ') {
					take = k;
					break;
				}
			}
		}
		n++;
		text += take;
		len -= take;
		while (len > 0 && *text == ' ') {
			text++;
			len--;
		}
	}
	return n > 0 ? n : 1;
}

static void
draw_footer(struct ui *ui, struct view *v, int y, int w)
{
	wmove(stdscr, y, 0);
	wattrset(stdscr, A_NORMAL);
	wclrtoeol(stdscr);
	if (ui->confirm_quit) {
		list_put_cell(stdscr, "Quit salvage? (y/n)", w, false,
		    ui_attr(UC_WARN), 0, 0, 0);
		return;
	}
	if (ui->msg[0] != '\0' && sv_monotonic_ms() < ui->msg_until) {
		int	n = msg_lines(ui->msg, w);

		/* A long message takes up to UI_MSG_LINES lines, over the
		 * bottom of the view: a refusal is read in full. */
		for (int i = 1; i < n; i++) {
			wmove(stdscr, y - i, 0);
			wclrtoeol(stdscr);
		}
		ui_draw_text(stdscr, y - n + 1, 0, n, w,
		    ui_attr(ui->msg_error ? UC_ERROR : UC_TITLE), ui->msg);
		return;
	}
	if (v != NULL)
		list_put_cell(stdscr, default_hint(v), w, false, ui_attr(UC_KEYS),
		    0, 0, 0);
}

static void
draw(struct ui *ui, const char *connecting)
{
	struct view *v = top(ui);
	char	 title[2048];
	int	 h, w;

	getmaxyx(stdscr, h, w);
	werase(stdscr);
	if (w < UI_MIN_W || h < UI_MIN_H) {
		char	line[128];

		snprintf(line, sizeof line, "terminal too small (need %d%s%d)",
		    UI_MIN_W, MB_CUR_MAX > 1 ? "\xc3\x97" : "x", UI_MIN_H);
		wmove(stdscr, h / 2 > 0 ? h / 2 - 1 : 0, 0);
		list_put_cell(stdscr, line, w, false, ui_attr(UC_WARN), 0, 0, 0);
		snprintf(line, sizeof line, "now %dx%d: enlarge the window (q quits)",
		    w, h);
		if (h > 1) {
			wmove(stdscr, h / 2, 0);
			list_put_cell(stdscr, line, w, false, A_NORMAL, 0, 0, 0);
		}
		curs_set(0);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	draw_header(ui, w);
	if (connecting != NULL || v == NULL) {
		wmove(stdscr, 2, 2);
		list_put_cell(stdscr, connecting != NULL ? connecting : "", w - 4,
		    false, ui_attr(UC_TITLE), 0, 0, 0);
		curs_set(0);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	title[0] = '\0';
	if (v->cls->title != NULL)
		v->cls->title(v, title, sizeof title);
	wmove(stdscr, 1, 0);
	list_put_cell(stdscr, title, w, false, ui_attr(UC_TITLE), 0, 0, 0);
	v->cls->draw(v, stdscr, 2, h - 3, w);
	if (prompt_active()) {
		prompt_draw_matches(stdscr, h - 1, w, h / 2);
		curs_set(1);
		prompt_draw(stdscr, h - 1, w);	/* last: leaves the cursor */
	} else {
		draw_footer(ui, v, h - 1, w);
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* ---- prompts: filter, search, palette ---- */

static struct list *
view_list(struct view *v)
{
	return v != NULL && v->cls->list != NULL ? v->cls->list(v) : NULL;
}

static void
filter_change(void *arg, const char *line)
{
	struct ui *ui = arg;
	struct list *l = view_list(top(ui));

	if (l != NULL)
		list_set_filter(l, line);
	ui->flags |= UI_REDRAW;
}

static void
filter_done(void *arg, const char *line)
{
	struct ui *ui = arg;
	struct list *l = view_list(top(ui));

	if (l != NULL)
		list_set_filter(l, line != NULL ? line : ui->filter_before);
	xfree(ui->filter_before);
	ui->flags |= UI_REDRAW;
}

static const struct prompt_ops filter_ops = { filter_change, filter_done, NULL };

static void
search_change(void *arg, const char *line)
{
	struct ui *ui = arg;
	struct list *l = view_list(top(ui));

	if (l == NULL)
		return;
	list_select(l, ui->search_from);
	list_search(l, line, 1, true);
	ui->flags |= UI_REDRAW;
}

static void
search_done(void *arg, const char *line)
{
	struct ui *ui = arg;
	struct list *l = view_list(top(ui));

	if (line == NULL) {
		if (l != NULL)
			list_select(l, ui->search_from);
	} else if (*line != '\0') {
		free(ui->search);
		ui->search = xstrdup(line);
		if (l != NULL && !list_row_matches(l, list_selected(l), line))
			ui_message(ui, true, "no match for \"%s\"", line);
	}
	ui->flags |= UI_REDRAW;
}

static const struct prompt_ops search_ops = { search_change, search_done, NULL };

static void	run_palette(struct ui *, const char *);

static void
palette_done(void *arg, const char *line)
{
	if (line != NULL)
		run_palette(arg, line);
}

static char **
palette_complete(void *arg, const char *line, const char *text)
{
	static const char *const schemes[] = {
		"s3://", "dynamodb://", "rds://", "rds-cluster://"
	};
	static const char *const regions[] = {
		"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
		"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
		"eu-south-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2",
		"ap-southeast-1", "ap-southeast-2", "sa-east-1", "af-south-1",
		"me-south-1",
	};
	struct ui *ui = arg;
	char	**out, cmd[32];
	size_t	 n = 0, cap = 16, tlen = strlen(text), k;
	const char *p = line;
	bool	 first;

	while (*p == ' ' || *p == ':')
		p++;
	/* Completing the first word: the part before text is blank. */
	first = (size_t)(p - line) + tlen >= strlen(line) || strchr(p, ' ') == NULL;
	for (k = 0; p[k] != '\0' && p[k] != ' ' && k + 1 < sizeof cmd; k++)
		cmd[k] = p[k];
	cmd[k] = '\0';
	out = xcalloc(cap, sizeof *out);
#define ADD(s) do {							\
	if (strncmp((s), text, tlen) == 0) {				\
		if (n + 1 >= cap) {					\
			cap *= 2;					\
			out = xreallocarray(out, cap, sizeof *out);	\
		}							\
		out[n++] = xstrdup(s);					\
		out[n] = NULL;						\
	}								\
} while (0)
	if (first) {
		for (size_t i = 0; i < palette_ncmds; i++)
			ADD(palette_cmds[i].name);
	} else if (palette_find(cmd) != NULL &&
	    strcmp(palette_find(cmd)->name, "open") == 0) {
		for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
			ADD(schemes[i]);
		for (size_t i = 0; i < ui->nnames; i++)
			ADD(ui->names[i]);
	} else if (palette_find(cmd) != NULL &&
	    strcmp(palette_find(cmd)->name, "region") == 0) {
		for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++)
			ADD(regions[i]);
	}
#undef ADD
	if (n == 0) {
		free(out);
		return NULL;
	}
	return out;
}

static const struct prompt_ops palette_ops = { NULL, palette_done, palette_complete };

static void
run_palette(struct ui *ui, const char *line)
{
	const struct palette_cmd *pc;
	struct sv_err err;
	char	*copy = xstrdup(line), *cmd, *arg;

	cmd = str_trim(copy);
	while (*cmd == ':')
		cmd++;
	if (*cmd == '\0')
		goto out;
	arg = cmd + strcspn(cmd, " \t");
	if (*arg != '\0')
		*arg++ = '\0';
	arg = str_trim(arg);
	pc = palette_find(cmd);
	if (pc == NULL) {
		ui_message(ui, true, "unknown command :%s (? lists the commands)", cmd);
		goto out;
	}
	if (pc->args[0] != '\0' && *arg == '\0') {
		ui_message(ui, true, "usage: :%s %s", pc->name, pc->args);
		goto out;
	}
	sv_err_init(&err);
	if (strcmp(pc->name, "tables") == 0)
		ui_push(ui, &view_tables, NULL);
	else if (strcmp(pc->name, "instances") == 0)
		ui_push(ui, &view_instances, NULL);
	else if (strcmp(pc->name, "clusters") == 0)
		ui_push(ui, &view_clusters, NULL);
	else if (strcmp(pc->name, "buckets") == 0)
		ui_push(ui, &view_buckets, NULL);
	else if (strcmp(pc->name, "vaults") == 0)
		ui_push(ui, &view_vaults, NULL);
	else if (strcmp(pc->name, "open") == 0) {
		if (ui_open_uri(ui, arg, &err) != SV_OK)
			ui_message(ui, true, "%s", err.msg);
	} else if (strcmp(pc->name, "runbooks") == 0)
		ui_push(ui, &view_runbooks, NULL);
	else if ((strcmp(pc->name, "region") == 0 ||
	    strcmp(pc->name, "profile") == 0) && (ui->session != NULL ||
	    ui->borrowed)) {
		ui_message(ui, true, ":%s reconnects, which would end the audit log of "
		    "runbook session %s: quit first (salvage resume %s continues it)",
		    pc->name, ui->session != NULL ? session_id(ui->session) : "",
		    ui->session != NULL ? session_id(ui->session) : "ID");
	} else if (strcmp(pc->name, "region") == 0) {
		free(ui->opt_region);
		ui->opt_region = xstrdup(arg);
		ui_reconnect(ui);
	} else if (strcmp(pc->name, "profile") == 0) {
		free(ui->opt_profile);
		ui->opt_profile = xstrdup(arg);
		/* The profile's region now (unless --region or AWS_REGION). */
		xfree(ui->opt_region);
		ui_reconnect(ui);
	} else if (strcmp(pc->name, "audit") == 0)
		ui_push(ui, &view_audit, NULL);
	else if (strcmp(pc->name, "help") == 0)
		ui_push(ui, &view_help, NULL);
	else if (strcmp(pc->name, "quit") == 0) {
		ui->exit_status = 0;
		ui->flags |= UI_QUIT;
	}
out:
	free(copy);
	ui->flags |= UI_REDRAW;
}

/* ---- keys ---- */

static void
generic_action(struct ui *ui, struct view *v, enum ui_action a)
{
	struct list *l = view_list(v);
	char	 zone[64];

	switch (a) {
	case ACT_UP:
		if (l != NULL)
			list_move(l, -1);
		break;
	case ACT_DOWN:
		if (l != NULL)
			list_move(l, 1);
		break;
	case ACT_PAGE_UP:
		if (l != NULL)
			list_page(l, -1);
		break;
	case ACT_PAGE_DOWN:
		if (l != NULL)
			list_page(l, 1);
		break;
	case ACT_TOP:
		if (l != NULL)
			list_top(l);
		break;
	case ACT_BOTTOM:
		if (l != NULL)
			list_bottom(l);
		break;
	case ACT_FILTER:
		if (l == NULL)
			break;
		free(ui->filter_before);
		ui->filter_before = xstrdup(list_filter(l));
		prompt_open(PROMPT_FILTER, "/", list_filter(l), &filter_ops, ui);
		break;
	case ACT_SEARCH:
		if (l == NULL)
			break;
		ui->search_from = list_selected(l);
		prompt_open(PROMPT_SEARCH, "search: ", NULL, &search_ops, ui);
		break;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		if (l == NULL)
			break;
		if (ui->search == NULL)
			ui_message(ui, false, "no search yet: F3 starts one");
		else if (!list_search(l, ui->search, a == ACT_SEARCH_NEXT ? 1 : -1, false))
			ui_message(ui, true, "no match for \"%s\"", ui->search);
		break;
	case ACT_SORT_NEXT:
	case ACT_SORT_PREV:
		if (l != NULL)
			list_sort_cycle(l, a == ACT_SORT_NEXT ? 1 : -1);
		break;
	case ACT_SORT_INVERT:
		if (l != NULL && list_sort_col(l) >= 0)
			list_set_sort(l, list_sort_col(l), !list_sort_desc(l));
		break;
	case ACT_REFRESH:
		if (v->cls->reload != NULL)
			v->cls->reload(v);
		break;
	case ACT_HELP:
		ui_push(ui, &view_help, NULL);
		break;
	case ACT_PALETTE:
		prompt_open(PROMPT_PALETTE, ":", NULL, &palette_ops, ui);
		break;
	case ACT_TIMEZONE:
		ui_time_set_local(!ui_time_local());
		if (ui_time_local()) {
			const char *z;

			/* "2024-01-02 04:04:05 CET (+01:00)": the zone part. */
			sv_time_format_local(sv_time_now(), zone, sizeof zone);
			z = strchr(zone, ' ');
			z = z != NULL ? strchr(z + 1, ' ') : NULL;
			ui_message(ui, false, "times in local time: %s",
			    z != NULL ? z + 1 : zone);
		} else
			ui_message(ui, false, "times in UTC (Z)");
		if (v->cls->resize != NULL)
			v->cls->resize(v, LINES, COLS);
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	case ACT_BACKUP:
		ui_message(ui, true, "b backs up a DynamoDB table, an RDS instance or "
		    "an Aurora cluster: select one first");
		break;
	case ACT_RESTORE:
		ui_message(ui, true, "R restores a table, an instance, a cluster or an "
		    "S3 key: open one first");
		break;
	case ACT_UNDELETE:
		ui_message(ui, true, "u undeletes an S3 key: open its versions first "
		    "(:open s3://BUCKET/KEY)");
		break;
	case ACT_CANCEL:
		if (v->cls->cancel != NULL && v->cls->cancel(v)) {
			ui_message(ui, false, "loading cancelled: what is shown is "
			    "incomplete (r reloads)");
			break;
		}
		/* FALLTHROUGH */
	case ACT_BACK:
		if (ui->depth <= 1)
			ui->confirm_quit = true;
		else
			ui_pop(ui);
		break;
	default:
		break;
	}
	ui->flags |= UI_REDRAW;
}

static void
handle_key(struct ui *ui, int key)
{
	struct view *v = top(ui);
	enum ui_action a;
	int	 r = 0;

	ui->flags |= UI_REDRAW;
	if (key == KEY_RESIZE)
		return;
	if (COLS < UI_MIN_W || LINES < UI_MIN_H) {
		/* Nothing acts unseen; q still gets out. */
		if (key == 'q' || key == 'Q') {
			ui->exit_status = 0;
			ui->flags |= UI_QUIT;
		}
		return;
	}
	if (ui->confirm_quit) {
		ui->confirm_quit = false;
		if (key == 'y' || key == 'Y') {
			ui->exit_status = 0;
			ui->flags |= UI_QUIT;
		}
		return;
	}
	ui->msg[0] = '\0';
	if (v == NULL)
		return;
	a = keymap_lookup(v->cls->keys, key);
	if (v->cls->key != NULL)
		r = v->cls->key(v, a, key);
	ui->flags |= r & ~UI_HANDLED;
	if (r & UI_HANDLED)
		return;
	generic_action(ui, v, a);
}

static void
read_keys(struct ui *ui)
{
	int	c, n = 0;

	while (!(ui->flags & UI_QUIT) && !ui->reconnect && n++ < 512) {
		if (prompt_active()) {
			ui->flags |= prompt_read(tty_input(true));
			if (prompt_active())
				break;
			continue;
		}
		if ((c = wgetch(tty_input(false))) == ERR)
			break;
		handle_key(ui, c);
	}
}

/* ---- the loop ---- */

static void
handle_signals(struct ui *ui)
{
	int	s = tty_take_signals();

	if (s & TTY_SIG_QUIT) {
		ui->exit_status = 128 + tty_quit_signal();
		ui->flags |= UI_QUIT;
		return;
	}
	if (s & TTY_SIG_TSTP)
		tty_suspend();
	if (s & (TTY_SIG_WINCH | TTY_SIG_CONT | TTY_SIG_TSTP)) {
		struct view *v = top(ui);

		tty_resize();
		if (v != NULL && v->cls->resize != NULL)
			v->cls->resize(v, LINES, COLS);
		ui->flags |= UI_REDRAW;
	}
}

static void
log_sink(void *arg, const char *line)
{
	struct ui *ui = arg;

	if (str_starts(line, "salvage: debug: ")) {
		/* With --debug 2>FILE the trace goes there; never onto the screen. */
		if (!isatty(STDERR_FILENO))
			fprintf(stderr, "%s\n", line);
		return;
	}
	ui_message(ui, true, "%s", str_starts(line, "salvage: ") ? line + 9 : line);
}

static int
run(struct ui *ui)
{
	struct pollfd	 pfd[UI_MAX_FDS + 2];
	int		 n, timeout, et;
	int64_t		 now;

	ui->flags |= UI_REDRAW;
	while (!(ui->flags & UI_QUIT)) {
		struct http_engine *eng = ui->client != NULL ?
		    aws_client_engine(ui->client) : NULL;

		if (ui->reconnect) {
			do_reconnect(ui);
			continue;
		}
		if (ui->flags & UI_REDRAW) {
			ui->flags &= ~UI_REDRAW;
			draw(ui, NULL);
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = tty_signal_fd();
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		n = eng != NULL ? http_engine_fds(eng, pfd + 2, UI_MAX_FDS) : 0;
		if (n < 0)
			n = 0;
		timeout = eng != NULL ? http_engine_timeout_ms(eng) : -1;
		now = sv_monotonic_ms();
		if (eng != NULL && http_engine_busy(eng)) {
			/* The spinner's own timer: progress callbacks do not
			 * fire on idle sockets. */
			if (ui->next_tick <= now)
				ui->next_tick = now + UI_SPIN_MS;
			et = (int)(ui->next_tick - now);
			if (timeout < 0 || et < timeout)
				timeout = et;
		}
		if (ui->msg[0] != '\0' && ui->msg_until > now) {
			et = (int)(ui->msg_until - now) + 1;
			if (timeout < 0 || et < timeout)
				timeout = et;
		}
		et = timers_timeout(ui);
		if (et >= 0 && (timeout < 0 || et < timeout))
			timeout = et;
		if (poll(pfd, (nfds_t)n + 2, timeout) == -1 && errno != EINTR)
			tty_fatal("poll: %s", strerror(errno));
		if (pfd[1].revents & POLLIN)
			handle_signals(ui);
		if (ui->flags & UI_QUIT)
			break;
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((pfd[0].revents & (POLLHUP | POLLERR)) &&
			    !(pfd[0].revents & POLLIN)) {
				ui->exit_status = 128 + 1;	/* the terminal went away */
				break;
			}
			read_keys(ui);
		}
		if (ui->flags & UI_QUIT)
			break;
		/* Sockets and timers; callbacks append rows and mark redraws. */
		eng = ui->client != NULL ? aws_client_engine(ui->client) : NULL;
		if (eng != NULL && !ui->reconnect)
			http_engine_process(eng, pfd + 2, n);
		if (!ui->reconnect)
			timers_run(ui);
		if (ui->audit_pending != audit_pending_count(ui->audit)) {
			ui->audit_pending = audit_pending_count(ui->audit);
			ui->flags |= UI_REDRAW;
		}
		if (ui->audit != NULL && ui->audit_records !=
		    audit_count(audit_session_log(ui->audit))) {
			ui->audit_records = audit_count(audit_session_log(ui->audit));
			ui->flags |= UI_REDRAW;
		}
		now = sv_monotonic_ms();
		if (eng != NULL && http_engine_busy(eng) && now >= ui->next_tick) {
			ui->spin++;
			ui->next_tick = now + UI_SPIN_MS;
			ui->flags |= UI_REDRAW;
		}
		if (ui->msg[0] != '\0' && now >= ui->msg_until) {
			ui->msg[0] = '\0';
			ui->flags |= UI_REDRAW;
		}
	}
	return ui->exit_status;
}

static int	ui_start(struct cli *, struct session *);

int
ui_main(struct cli *cli)
{
	return ui_start(cli, NULL);
}

int
ui_run_runbook(struct cli *cli, struct session *s)
{
	return ui_start(cli, s);
}

static int
ui_start(struct cli *cli, struct session *rs)
{
	struct ui	 ui;
	struct sv_err	 err;
	char		 why[512];
	int		 status;

	if ((status = tty_check(why, sizeof why)) != 0) {
		fprintf(stderr, "%s: %s\n", cli->progname, why);
		return status;
	}
	sv_err_init(&err);
	if (tty_start(cli->color, &err) != SV_OK) {
		fprintf(stderr, "%s: %s\n", cli->progname, err.msg);
		return err.code == SV_E_USAGE ? SV_EXIT_USAGE : SV_EXIT_ERROR;
	}
	memset(&ui, 0, sizeof ui);
	ui.cli = cli;
	ui.borrowed = rs != NULL;
	sv_log_set_sink(log_sink, &ui);

	connect_client(&ui);
	if (rs != NULL) {
		/* Straight onto the checklist: q there asks to quit. */
		ui_set_session(&ui, rs, false);
		ui_push(&ui, &view_checklist, NULL);
	} else
		ui_push(&ui, &view_home, NULL);
	status = run(&ui);

	/* Views first (their work is cancelled), then the terminal: the
	 * audit log's session-end and last upload may warn, on stderr. */
	close_views(&ui);
	prompt_cleanup();
	ui_actions_cleanup();
	sv_log_set_sink(NULL, NULL);
	tty_stop();
	disconnect_client(&ui, status);
	for (size_t i = 0; i < ui.nnames; i++)
		free(ui.names[i]);
	free(ui.names);
	free(ui.account);
	free(ui.arn);
	free(ui.opt_region);
	free(ui.opt_profile);
	free(ui.search);
	free(ui.filter_before);
	if (rs != NULL && (status == 0 || !session_over(rs)))
		status = session_exit_status(rs);
	return status;
}
