/* TEMPORARY stand-in until host/certs/certs.h lands. */
#ifndef TLSRIG_CERTS_H
#define TLSRIG_CERTS_H
#include <stddef.h>
typedef struct cert_chain_files {
    char chain_pem[512];
    char key_pem[512];
    char ca_pem[512];
} cert_chain_files_t;
int certs_ensure(const char *recipes_path, const char *cache_dir, const char *name,
                 cert_chain_files_t *out, char *err, size_t errlen);
#endif
