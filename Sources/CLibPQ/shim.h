#include <libpq-fe.h>

/// `PG_DIAG_*` are character macros, which Swift does not import; expose them as integers.
static const int CLibPQ_DIAG_SQLSTATE = 'C';
static const int CLibPQ_DIAG_MESSAGE_PRIMARY = 'M';
static const int CLibPQ_DIAG_MESSAGE_DETAIL = 'D';
static const int CLibPQ_DIAG_MESSAGE_HINT = 'H';
static const int CLibPQ_DIAG_STATEMENT_POSITION = 'P';
