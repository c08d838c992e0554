/* er-application.h: the application: command line, credentials, app actions. */
#pragma once

#include <adwaita.h>

#include "er-client.h"
#include "er-crypto.h"

G_BEGIN_DECLS

#define ER_TYPE_APPLICATION (er_application_get_type ())
G_DECLARE_FINAL_TYPE (ErApplication, er_application, ER, APPLICATION, AdwApplication)

ErApplication *er_application_new (GApplicationFlags flags);

G_END_DECLS
