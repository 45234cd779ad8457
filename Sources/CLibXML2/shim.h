/* Debian's libxml2 is built with ICU; its headers would then pull in system ICU headers that clash with
   Foundation's bundled ICU. The ICU fields are never used here. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>

/// `xmlFree` is a global function-pointer variable, which Swift 6 strict concurrency rejects.
static inline void CLibXML2_free(void *pointer) { xmlFree(pointer); }
