/* lk-budget.h: the spending caps, the check before every create, and the
 * warning at 80% of a cap.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "lk-types.h"

G_BEGIN_DECLS

/**
 * LkSpending:
 * @job: committed to one job
 * @day: committed today, local time
 * @month: committed this calendar month, local time
 *
 * Money committed, in micro-dollars: actual costs and refunds, plus the
 * estimates of predictions whose cost is not known yet.
 */
typedef struct
{
  gint64 job;
  gint64 day;
  gint64 month;
} LkSpending;

/**
 * LkBudgetCaps:
 *
 * The caps in force, in micro-dollars; 0 means no cap.
 */
typedef struct
{
  gint64 job;
  gint64 daily;
  gint64 monthly;
} LkBudgetCaps;

/**
 * LkBudgetVerdict:
 * @cap: the cap that would be overshot, or %LK_BUDGET_CAP_NONE
 * @limit: that cap
 * @committed: what was committed against it before
 * @overshoot: by how much the cap would be overshot
 *
 * Why a prediction may not be created. Amounts in micro-dollars.
 */
typedef struct
{
  LkBudgetCap cap;
  gint64      limit;
  gint64      committed;
  gint64      overshoot;
} LkBudgetVerdict;

#define LK_TYPE_BUDGET (lk_budget_get_type ())

G_DECLARE_FINAL_TYPE (LkBudget, lk_budget, LK, BUDGET, GObject)

LkBudget    *lk_budget_new              (void);
double       lk_budget_get_daily        (LkBudget               *self);
void         lk_budget_set_daily        (LkBudget               *self,
                                         double                  usd);
double       lk_budget_get_monthly      (LkBudget               *self);
void         lk_budget_set_monthly      (LkBudget               *self,
                                         double                  usd);
void         lk_budget_get_caps         (LkBudget               *self,
                                         gint64                  job_budget,
                                         LkBudgetCaps           *caps);
void         lk_budget_update           (LkBudget               *self,
                                         const LkSpending       *spending);
LkBudgetCap  lk_budget_get_near_cap     (LkBudget               *self);
char        *lk_budget_describe_near    (LkBudget               *self);

gboolean     lk_budget_caps_check       (const LkBudgetCaps     *caps,
                                         const LkSpending       *spending,
                                         gint64                  estimate,
                                         LkBudgetVerdict        *verdict);
char        *lk_budget_verdict_describe (const LkBudgetVerdict  *verdict);

G_END_DECLS
