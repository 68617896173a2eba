/* view-audit.c - :audit: this session's audit records as they are
 * written (seq, time, type, a one-line summary of the data), the
 * selected record in full, and where the log goes: the local file, the
 * S3 object it is shipped to, what is not shipped yet and the last
 * shipping error (as lazygit shows the commands it ran). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "core/audit-session.h"
#include "ui/ui-int.h"
#include "util/str.h"
#include "util/xalloc.h"

enum { A_SEQ, A_TIME, A_TYPE, A_SUMMARY, A_LINE };

#define AUDIT_DETAIL_LINES	4

struct auditv {
	struct view	*view;
	struct list	*list;
	size_t		 seen;		/* entries already in the list */
	struct audit	*log;		/* whose entries they are */
};

static const struct list_column audit_cols[] = {
	{ "Seq", LIST_INT, 5, 0, 0 },
	{ "Time", LIST_TIME, 0, 0, 0 },
	{ "Type", LIST_TEXT, 13, 0, 0 },
	{ "Summary", LIST_TEXT, 0, 20, 0 },
	{ "Record", LIST_TEXT, 0, 0, LIST_COL_HIDDEN },
};

static const char *
jstr(const cJSON *o, const char *k)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(j) ? j->valuestring : NULL;
}

static double
jnum(const cJSON *o, const char *k, double dflt)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(j) ? j->valuedouble : dflt;
}

#define S(x)	((x) != NULL ? (x) : "?")

/* One line saying what the record is about. */
static void
summarize(const char *type, const char *line, char *out, size_t outsz)
{
	cJSON	*rec = cJSON_Parse(line);
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(rec, "data");
	const cJSON *op;

	out[0] = '\0';
	if (!cJSON_IsObject(d)) {
		str_lcpy(out, "", outsz);
		goto out;
	}
	if (strcmp(type, AUDIT_T_START) == 0) {
		op = cJSON_GetObjectItemCaseSensitive(d, "operator");
		snprintf(out, outsz, "%s, %s, operator %s, user %s@%s, audit_s3 %s",
		    S(jstr(d, "mode")), S(jstr(d, "frontend")),
		    jstr(op, "arn") != NULL ? jstr(op, "arn") : "unknown",
		    S(jstr(d, "local_user")), S(jstr(d, "host")),
		    jstr(d, "audit_s3") != NULL ? jstr(d, "audit_s3") : "none");
	} else if (strcmp(type, AUDIT_T_CONFIRM) == 0) {
		const cJSON *acc = cJSON_GetObjectItemCaseSensitive(d, "accepted");

		snprintf(out, outsz, "%s: %s (typed \"%s\", %s) %s",
		    cJSON_IsTrue(acc) ? "CONFIRMED" : "NOT confirmed", S(jstr(d, "asked")),
		    jstr(d, "typed") != NULL ? jstr(d, "typed") : "",
		    S(jstr(d, "how")), "");
	} else if (strcmp(type, AUDIT_T_INTENT) == 0) {
		snprintf(out, outsz, "%s %s%s%s", S(jstr(d, "operation")),
		    jstr(d, "target") != NULL ? jstr(d, "target") : "",
		    jstr(d, "region") != NULL ? " in " : "",
		    jstr(d, "region") != NULL ? jstr(d, "region") : "");
	} else if (strcmp(type, AUDIT_T_RESULT) == 0) {
		snprintf(out, outsz, "%s of intent %.0f: %s (HTTP %.0f)%s%s%s%s",
		    S(jstr(d, "operation")), jnum(d, "intent", 0), S(jstr(d, "outcome")),
		    jnum(d, "status", 0),
		    jstr(d, "request_id") != NULL ? " request " : "",
		    jstr(d, "request_id") != NULL ? jstr(d, "request_id") : "",
		    jstr(d, "error_message") != NULL ? ": " : "",
		    jstr(d, "error_message") != NULL ? jstr(d, "error_message") : "");
	} else if (strcmp(type, AUDIT_T_NOTE) == 0) {
		snprintf(out, outsz, "%s", S(jstr(d, "text")));
	} else if (strcmp(type, AUDIT_T_END) == 0) {
		snprintf(out, outsz, "%.0f records, status %.0f", jnum(d, "records", 0),
		    jnum(d, "status", -1));
	} else {
		char *s = cJSON_PrintUnformatted(d);

		str_lcpy(out, s != NULL ? s : "", outsz);
		free(s);
	}
out:
	cJSON_Delete(rec);
}

/* Adds what was written since the last look. */
static void
audit_refresh(struct auditv *a)
{
	struct audit_session *s = ui_audit(a->view->ui);
	struct audit	*log = s != NULL ? audit_session_log(s) : NULL;
	const struct audit_entry *e;
	union list_value row[5];
	char	 sum[1024];
	size_t	 n;

	if (log != a->log) {
		list_clear(a->list);
		a->seen = 0;
		a->log = log;
	}
	if (log == NULL)
		return;
	n = audit_entries(log, &e);
	for (size_t i = a->seen; i < n; i++) {
		bool last = list_selected(a->list) == LIST_NONE ||
		    list_position(a->list) + 1 == list_shown(a->list);

		summarize(e[i].type, e[i].line, sum, sizeof sum);
		row[A_SEQ].n = (int64_t)e[i].seq;
		row[A_TIME].n = e[i].time;
		row[A_TYPE].s = e[i].type;
		row[A_SUMMARY].s = sum;
		row[A_LINE].s = e[i].line;
		list_add(a->list, row, strcmp(e[i].type, AUDIT_T_CONFIRM) == 0 ?
		    LIST_STYLE_WARN : strcmp(e[i].type, AUDIT_T_INTENT) == 0 ||
		    strcmp(e[i].type, AUDIT_T_RESULT) == 0 ? LIST_STYLE_LATEST :
		    LIST_STYLE_NORMAL);
		/* Follow the newest record unless the operator moved away. */
		if (last)
			list_bottom(a->list);
	}
	a->seen = n;
}

static void
audit_enter(struct view *v, const struct resource *res)
{
	struct auditv *a = xcalloc(1, sizeof *a);

	v->data = a;
	a->view = v;
	a->list = list_new(audit_cols, 5);
	list_set_empty_text(a->list, "no records (the audit log is not open: "
	    "connect first)");
	audit_refresh(a);
}

static void
audit_leave(struct view *v)
{
	struct auditv *a = v->data;

	list_free(a->list);
	free(a);
}

static void
audit_title(struct view *v, char *buf, size_t bufsz)
{
	struct auditv *a = v->data;
	struct audit_session *s = ui_audit(v->ui);
	struct audit *log = s != NULL ? audit_session_log(s) : NULL;

	audit_refresh(a);
	snprintf(buf, bufsz, "Audit log of this session %s (%zu record%s)",
	    log != NULL ? audit_session(log) : "(none)", a->seen,
	    a->seen == 1 ? "" : "s");
}

static void
audit_draw(struct view *v, WINDOW *win, int y, int h, int w)
{
	struct auditv *a = v->data;
	struct audit_session *s = ui_audit(v->ui);
	struct audit *log = s != NULL ? audit_session_log(s) : NULL;
	struct audit_ship *sh = s != NULL ? audit_session_ship(s) : NULL;
	char	 buf[2048];
	size_t	 row;
	int	 listh, r = y;

	audit_refresh(a);
	wmove(win, r, 1);
	list_put_cell(win, "Local", 9, false, ui_attr(UC_LABEL), 0, 0, 0);
	if (log != NULL && audit_broken(log) != NULL)
		snprintf(buf, sizeof buf, "cannot be written: %s (every change is "
		    "refused)", audit_broken(log));
	else
		snprintf(buf, sizeof buf, "%s", log != NULL ? audit_path(log) : "-");
	wmove(win, r, 11);
	list_put_cell(win, buf, w - 12, false, log != NULL && audit_broken(log) ?
	    ui_attr(UC_ERROR) : A_NORMAL, 0, 0, 0);
	r++;
	wmove(win, r, 1);
	list_put_cell(win, "Shipped", 9, false, ui_attr(UC_LABEL), 0, 0, 0);
	if (sh == NULL)
		snprintf(buf, sizeof buf, "not shipped: no audit bucket configured "
		    "(--audit-s3, SALVAGE_AUDIT_S3 or audit_s3 in the config)");
	else if (audit_pending_count(s) > 0)
		snprintf(buf, sizeof buf, "to %s: %zu record%s pending%s%s",
		    audit_ship_uri(sh), audit_pending_count(s),
		    audit_pending_count(s) == 1 ? "" : "s",
		    audit_ship_error(sh) != NULL ? "; last error: " : "",
		    audit_ship_error(sh) != NULL ? audit_ship_error(sh) : "");
	else
		snprintf(buf, sizeof buf, "to %s: up to date", audit_ship_uri(sh));
	r += ui_draw_text(win, r, 11, 3, w - 12, sh != NULL && audit_ship_error(sh) ?
	    ui_attr(UC_WARN) : A_NORMAL, buf);
	r++;
	listh = y + h - r - AUDIT_DETAIL_LINES - 1;
	if (listh < 3)
		listh = y + h - r;
	list_draw(a->list, win, r, 0, listh, w);
	r += listh;
	if (r + AUDIT_DETAIL_LINES + 1 > y + h ||
	    (row = list_selected(a->list)) == LIST_NONE)
		return;
	wmove(win, r, 0);
	wattrset(win, ui_attr(UC_DIM));
	whline(win, ACS_HLINE, w);
	wattrset(win, A_NORMAL);
	ui_draw_text(win, r + 1, 1, AUDIT_DETAIL_LINES, w - 2, A_NORMAL,
	    list_str(a->list, row, A_LINE));
}

static struct list *
audit_list(struct view *v)
{
	return ((struct auditv *)v->data)->list;
}

static void
audit_reload(struct view *v)
{
	audit_refresh(v->data);
}

const struct view_class view_audit = {
	.name = "audit",
	.keys = KM_LOG,
	.enter = audit_enter,
	.leave = audit_leave,
	.title = audit_title,
	.draw = audit_draw,
	.reload = audit_reload,
	.list = audit_list,
	.hint = "j/k move (the record in full below)  / filter  ? help  q back",
};
