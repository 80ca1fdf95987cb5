// libxml2's SAX2 push parser, for the CTF reader (found through pkg-config `libxml-2.0`).
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, and encoding.h would then pull in the system's ICU headers, whose
// types clash with the copy inside Foundation. The reader never touches an encoding handler's fields
// (the only ones ICU adds), so the ICU parts are left out of this view of the headers.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
