// libxcrypt (Debian's libcrypt-dev): crypt_r and struct crypt_data.
#include <crypt.h>
