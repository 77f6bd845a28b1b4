/* dpkg.h - the Debian/Ubuntu packages on a host, from dpkg's status file,
 * as purls of their source packages (what Debian and Ubuntu advisories
 * name). */
#ifndef QUIRK_DPKG_H
#define QUIRK_DPKG_H

#include "facts.h"
#include "host.h"

/* Sets the list fact os.packages from the text of a dpkg status file:
 * "pkg:deb/NS/SOURCE@SOURCE_VERSION" for every package whose files are on
 * disk (unpacked or further; not "config-files" or "not-installed"), each
 * once, sorted. The source comes from "Source: name (version)" where the
 * binary package differs from it, else Package and Version.
 * STATUS_ERR_NOMEM (f unchanged). */
enum status dpkg_status_parse(const char *text, const char *ns, struct facts *f);

/* Reads ROOT/var/lib/dpkg/status (ROOT: ctx->etc_root, "" for this host)
 * with the namespace os.distro.id. Leaves os.packages unknown when there is
 * no such file or no distribution id. Only STATUS_ERR_NOMEM is fatal. */
enum status dpkg_collect(const struct host_ctx *ctx, struct facts *f);

#endif
