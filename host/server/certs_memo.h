/* certs_ensure() once per process and chain: the rig starts a server per
 * scenario, and each start ensured every chain of its profile again (the
 * recipe file parsed and the cache checked three times per scenario: about
 * a third of the host's CPU time per handshake). A remembered answer is
 * used while the recipe file (inode, size, time) and the answer's files
 * (time) are as they were; otherwise certs_ensure() runs again. */
#ifndef TLSRIG_CERTS_MEMO_H
#define TLSRIG_CERTS_MEMO_H

#include <stddef.h>

#include "certs.h"

/* certs_ensure() with the same arguments and results. */
int certs_memo_ensure(const char *recipes_path, const char *cache_dir, const char *name,
                      cert_chain_files_t *out, char *err, size_t errlen);

#endif
