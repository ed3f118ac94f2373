#ifndef TLSRIG_XML_ESCAPE_H
#define TLSRIG_XML_ESCAPE_H

#include <stdio.h>

/* Write text escaped for XML/HTML; drops bytes XML 1.0 forbids. */
void xml_escape(FILE *f, const char *text);

#endif
