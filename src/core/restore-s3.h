/* restore-s3.h - the S3 restore kinds of core/restore.h:
 *
 *  s3-version   salvage restore s3://B/KEY --version VID (or --to TIME:
 *               the version current then): the version is copied onto
 *               its key and becomes the current one; history is kept.
 *  s3-undelete  salvage undelete s3://B/KEY: the delete marker(s) on top
 *               are removed down to the newest version with data; never
 *               a version with data.
 *  s3-prefix    salvage restore s3://B/PREFIX/ --to TIME [--delete-new]:
 *               every key under the prefix back to its state at TIME
 *               (core/s3-pit.h), in parallel, after checking that the
 *               bucket still matches the confirmed plan key for key, and
 *               verified by listing the prefix again afterwards.
 *
 * Versioning must be Enabled on the bucket (Suspended: a warning, as new
 * versions get id null and replace a null version; never enabled:
 * refused, there is nothing to restore from).
 *
 * The kinds themselves are restore_s3_{version,undelete,prefix}_ops
 * (declared in core/restore.h). This header adds the tuning knobs and
 * the text the CLI prints for them. */
#ifndef SALVAGE_CORE_RESTORE_S3_H
#define SALVAGE_CORE_RESTORE_S3_H

#include <stdio.h>

#include "core/restore.h"

#define RESTORE_S3_CONCURRENCY		8	/* keys of a prefix restored at once */
#define RESTORE_S3_CONCURRENCY_MAX	64

/* Tuning knobs, from the environment (documented in salvage(1)):
 *   SALVAGE_S3_MULTIPART_THRESHOLD  objects larger than this are copied
 *                                   by multipart upload (default and
 *                                   largest: 5 GiB)
 *   SALVAGE_S3_PART_SIZE            the part size (default 512 MiB,
 *                                   5 MiB..5 GiB, grown to fit 10,000 parts)
 *   SALVAGE_S3_CONCURRENCY          keys of a prefix restored at once
 *                                   (default 8, 1..64)
 * Sizes are bytes, or a number with K, M, G or T (binary: KiB ...). */
struct restore_s3_tuning {
	long long	 multipart_threshold;
	long long	 part_size;
	int		 concurrency;
};

/* Defaults, then the environment; SV_E_CONFIG naming a bad variable. */
sv_result	 restore_s3_tuning_env(struct restore_s3_tuning *, struct sv_err *);
/* "5242880", "5M", "5MiB", "5 MB" (binary) -> bytes. */
sv_result	 restore_s3_parse_size(const char *, long long *, struct sv_err *);

/* For the CLI. The per-key plan of an s3-prefix plan (every key: its
 * action, the version copied or the markers removed, the state at TIME
 * and now), with counts; nothing for the other kinds. Keys are made
 * safe for a terminal. */
void		 restore_s3_print_plan(const struct restore_plan *, FILE *);
/* The per-key results after execute: RESULT ACTION KEY DETAIL (the new
 * version id, or the error), failures first summarized by count. */
void		 restore_s3_print_outcome(const struct restore_plan *,
		    const struct restore_outcome *, FILE *);

#endif
