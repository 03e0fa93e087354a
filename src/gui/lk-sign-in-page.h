/* lk-sign-in-page.h: the first page without a token: sign in to Replicate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lk-secret.h"

G_BEGIN_DECLS

#define LK_TYPE_SIGN_IN_PAGE (lk_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (LkSignInPage, lk_sign_in_page, LK, SIGN_IN_PAGE, AdwBin)

LkSignInPage *lk_sign_in_page_new (LkSecret *secret);

G_END_DECLS
