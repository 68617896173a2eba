/* report.h - the evidence report of a runbook session, for an incident
 * review or an auditor: the runbook, the operator's identity, account and
 * region, every step with started / finished / duration / outcome and who
 * confirmed it (and how), the restore points chosen and the data loss
 * they imply against the RPO target, the measured recovery time against
 * the RTO target, verification results, drift found and re-applied, what
 * the session created and cleaned up, and the audit chain (verified now:
 * records, head) with the S3 location of the log. Built from the
 * session's saved state and its audit log; pure otherwise. */
#ifndef SALVAGE_CORE_REPORT_H
#define SALVAGE_CORE_REPORT_H

#include <stdio.h>

#include <cJSON.h>

#include "core/session.h"
#include "util/err.h"

/* The report as JSON:
 *   {"session","runbook":{"id","title","scenario","path","sha256"},
 *    "state","operator":{"account","arn","local_user","host"},"region",
 *    "started","finished","elapsed_ms",
 *    "targets":{"rto_minutes","rpo_minutes"},
 *    "steps":[{"id","type","title","status","started","finished",
 *      "duration_ms","outcome","confirmed_by","how","reason","runs"}],
 *    "points":[{"var","resource","method","value","time","reference",
 *      "data_loss_ms","rpo_met"}],
 *    "recovery":{"measured_ms","rto_target_ms","rto_met",
 *      "restores":[{"step","target","ms","rto_met"}]},
 *    "verification":[{"step","source","target","equal","method",
 *      "checks":[{"name","a","b","equal"}]}],
 *    "drift":[{"step","source","target","differences","applicable",
 *      "applied","failed","settings":[...]}],
 *    "created":[{"uri","step","at","cleaned","cleanup"}],
 *    "audit":{"session","path","s3","records","head","verified","problem"},
 *    "processes":[...]}
 * Times are ISO-8601 UTC; unknown values are null. */
cJSON		*report_build(const struct session *);
/* The same as Markdown (headings and tables). */
void		 report_markdown(const cJSON *, FILE *);

#endif
