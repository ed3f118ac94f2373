/* TEMPORARY stand-in until host/server/clienthello.h lands. */
#ifndef TLSRIG_CLIENTHELLO_H
#define TLSRIG_CLIENTHELLO_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
typedef struct clienthello {
    uint16_t version;
    size_t n_suites;
} clienthello_t;
int clienthello_need(const uint8_t *buf, size_t len);
int clienthello_parse(const uint8_t *buf, size_t len, clienthello_t *ch, char *err, size_t errlen);
json_t *clienthello_to_json(const clienthello_t *ch);
#endif
