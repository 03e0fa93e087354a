/* lk-budget.c: the spending caps, the check before every create, and the
 * warning at 80% of a cap.
 *
 * The daily and monthly caps are plain properties; the app and the
 * command line bind them to GSettings, tests set them directly. The
 * check itself is a pure function of caps, spending and estimate, which
 * the store runs inside the transaction that reserves the estimate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "lk-budget"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lk-budget.h"
#include "lk-enums.h"
#include "lk-money.h"

/* The largest cap GSettings accepts, in dollars. */
#define MAX_CAP_USD 100000.0

struct _LkBudget
{
  GObject      parent_instance;

  /* The caps are read by the workers that create predictions. */
  GMutex       mutex;
  double       daily;
  double       monthly;

  LkSpending   spending;
  gboolean     has_spending;
  gboolean     near_daily;
  gboolean     near_monthly;
  LkBudgetCap  near_cap;
};

G_DEFINE_FINAL_TYPE (LkBudget, lk_budget, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DAILY,
  PROP_MONTHLY,
  PROP_NEAR_CAP,
  N_PROPS
};

enum {
  THRESHOLD_REACHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* At or above 80% of the cap, written without floating point. */
static gboolean
is_near (gint64 committed,
         gint64 cap)
{
  return cap > 0 && committed * 5 >= cap * 4;
}

/* Which of the two caps is the closer to being reached, if any. */
static LkBudgetCap
nearest_cap (LkBudget *self,
             gint64    daily,
             gint64    monthly)
{
  if (self->near_daily && self->near_monthly)
    {
      /* Compare spending / cap across the two without dividing. */
      return (double) self->spending.day * monthly >= (double) self->spending.month * daily
             ? LK_BUDGET_CAP_DAILY : LK_BUDGET_CAP_MONTHLY;
    }

  if (self->near_daily)
    return LK_BUDGET_CAP_DAILY;
  if (self->near_monthly)
    return LK_BUDGET_CAP_MONTHLY;
  return LK_BUDGET_CAP_NONE;
}

/* Recomputes how near the caps are; announces each cap crossed upward
 * when @announce is set. */
static void
evaluate (LkBudget *self,
          gboolean  announce)
{
  LkBudgetCaps caps;
  gboolean near_daily;
  gboolean near_monthly;
  gboolean crossed_daily;
  gboolean crossed_monthly;
  LkBudgetCap near_cap;

  if (!self->has_spending)
    return;

  lk_budget_get_caps (self, 0, &caps);
  near_daily = is_near (self->spending.day, caps.daily);
  near_monthly = is_near (self->spending.month, caps.monthly);
  crossed_daily = announce && near_daily && !self->near_daily;
  crossed_monthly = announce && near_monthly && !self->near_monthly;
  self->near_daily = near_daily;
  self->near_monthly = near_monthly;

  near_cap = nearest_cap (self, caps.daily, caps.monthly);
  if (self->near_cap != near_cap)
    {
      self->near_cap = near_cap;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEAR_CAP]);
    }

  if (crossed_daily)
    g_signal_emit (self, signals[THRESHOLD_REACHED], 0, LK_BUDGET_CAP_DAILY);
  if (crossed_monthly)
    g_signal_emit (self, signals[THRESHOLD_REACHED], 0, LK_BUDGET_CAP_MONTHLY);
}

static void
lk_budget_finalize (GObject *object)
{
  LkBudget *self = LK_BUDGET (object);

  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (lk_budget_parent_class)->finalize (object);
}

static void
lk_budget_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LkBudget *self = LK_BUDGET (object);

  switch (prop_id)
    {
    case PROP_DAILY:
      g_value_set_double (value, lk_budget_get_daily (self));
      break;

    case PROP_MONTHLY:
      g_value_set_double (value, lk_budget_get_monthly (self));
      break;

    case PROP_NEAR_CAP:
      g_value_set_enum (value, self->near_cap);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_budget_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  LkBudget *self = LK_BUDGET (object);

  switch (prop_id)
    {
    case PROP_DAILY:
      lk_budget_set_daily (self, g_value_get_double (value));
      break;

    case PROP_MONTHLY:
      lk_budget_set_monthly (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_budget_class_init (LkBudgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_budget_finalize;
  object_class->get_property = lk_budget_get_property;
  object_class->set_property = lk_budget_set_property;

  /**
   * LkBudget:daily:
   *
   * The most that may be spent in a calendar day, in dollars; 0 for no cap.
   */
  properties[PROP_DAILY] =
    g_param_spec_double ("daily", NULL, NULL,
                         0, MAX_CAP_USD, 0,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * LkBudget:monthly:
   *
   * The most that may be spent in a calendar month, in dollars; 0 for no
   * cap.
   */
  properties[PROP_MONTHLY] =
    g_param_spec_double ("monthly", NULL, NULL,
                         0, MAX_CAP_USD, 0,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /**
   * LkBudget:near-cap:
   *
   * The daily or monthly cap of which 80% or more is committed, as of the
   * last lk_budget_update(); the nearer one when both are.
   */
  properties[PROP_NEAR_CAP] =
    g_param_spec_enum ("near-cap", NULL, NULL,
                       LK_TYPE_BUDGET_CAP, LK_BUDGET_CAP_NONE,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkBudget::threshold-reached:
   * @cap: %LK_BUDGET_CAP_DAILY or %LK_BUDGET_CAP_MONTHLY
   *
   * Spending went from below 80% of @cap to 80% or more. Not emitted for
   * the state found at the first update, so that starting the app does
   * not notify again about yesterday's news.
   */
  signals[THRESHOLD_REACHED] =
    g_signal_new ("threshold-reached",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, LK_TYPE_BUDGET_CAP);
}

static void
lk_budget_init (LkBudget *self)
{
  g_mutex_init (&self->mutex);
}

LkBudget *
lk_budget_new (void)
{
  return g_object_new (LK_TYPE_BUDGET, NULL);
}

double
lk_budget_get_daily (LkBudget *self)
{
  double daily;

  g_return_val_if_fail (LK_IS_BUDGET (self), 0);

  g_mutex_lock (&self->mutex);
  daily = self->daily;
  g_mutex_unlock (&self->mutex);

  return daily;
}

static gboolean
set_cap (LkBudget *self,
         double   *cap,
         double    usd)
{
  gboolean changed;

  g_mutex_lock (&self->mutex);
  changed = *cap != usd;
  *cap = usd;
  g_mutex_unlock (&self->mutex);

  return changed;
}

void
lk_budget_set_daily (LkBudget *self,
                     double    usd)
{
  g_return_if_fail (LK_IS_BUDGET (self));
  g_return_if_fail (usd >= 0 && usd <= MAX_CAP_USD);

  if (set_cap (self, &self->daily, usd))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAILY]);
      evaluate (self, FALSE);
    }
}

double
lk_budget_get_monthly (LkBudget *self)
{
  double monthly;

  g_return_val_if_fail (LK_IS_BUDGET (self), 0);

  g_mutex_lock (&self->mutex);
  monthly = self->monthly;
  g_mutex_unlock (&self->mutex);

  return monthly;
}

void
lk_budget_set_monthly (LkBudget *self,
                       double    usd)
{
  g_return_if_fail (LK_IS_BUDGET (self));
  g_return_if_fail (usd >= 0 && usd <= MAX_CAP_USD);

  if (set_cap (self, &self->monthly, usd))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONTHLY]);
      evaluate (self, FALSE);
    }
}

/**
 * lk_budget_get_caps:
 * @job_budget: the job's own budget in micro-dollars, or 0
 *
 * Fills @caps with the caps in force. Safe to call from any thread.
 */
void
lk_budget_get_caps (LkBudget     *self,
                    gint64        job_budget,
                    LkBudgetCaps *caps)
{
  g_return_if_fail (LK_IS_BUDGET (self));
  g_return_if_fail (caps != NULL);

  g_mutex_lock (&self->mutex);
  caps->job = job_budget;
  caps->daily = lk_money_from_usd (self->daily);
  caps->monthly = lk_money_from_usd (self->monthly);
  g_mutex_unlock (&self->mutex);
}

/**
 * lk_budget_update:
 * @spending: what is committed now (its @job member is not used)
 *
 * Tells the budget the latest spending; updates #LkBudget:near-cap and
 * emits #LkBudget::threshold-reached for each cap crossed. Call it from
 * the main thread.
 */
void
lk_budget_update (LkBudget         *self,
                  const LkSpending *spending)
{
  gboolean first;

  g_return_if_fail (LK_IS_BUDGET (self));
  g_return_if_fail (spending != NULL);

  first = !self->has_spending;
  self->spending = *spending;
  self->has_spending = TRUE;
  evaluate (self, !first);
}

LkBudgetCap
lk_budget_get_near_cap (LkBudget *self)
{
  g_return_val_if_fail (LK_IS_BUDGET (self), LK_BUDGET_CAP_NONE);

  return self->near_cap;
}

/**
 * lk_budget_describe_near:
 *
 * Returns: (transfer full) (nullable): a sentence on the cap nearly
 *   reached, for a banner or a notification; %NULL when none is
 */
char *
lk_budget_describe_near (LkBudget *self)
{
  g_autofree char *spent = NULL;
  g_autofree char *limit = NULL;
  LkBudgetCaps caps;

  g_return_val_if_fail (LK_IS_BUDGET (self), NULL);

  lk_budget_get_caps (self, 0, &caps);

  switch (self->near_cap)
    {
    case LK_BUDGET_CAP_DAILY:
      spent = lk_money_format (self->spending.day);
      limit = lk_money_format (caps.daily);
      /* Translators: amounts of money, like "You have used $4.10 of your daily budget of $5.00." */
      return g_strdup_printf (_("You have used %s of your daily budget of %s."), spent, limit);

    case LK_BUDGET_CAP_MONTHLY:
      spent = lk_money_format (self->spending.month);
      limit = lk_money_format (caps.monthly);
      return g_strdup_printf (_("You have used %s of your monthly budget of %s."), spent, limit);

    case LK_BUDGET_CAP_NONE:
    case LK_BUDGET_CAP_JOB:
    default:
      return NULL;
    }
}

static void
check_cap (LkBudgetCap      cap,
           gint64           limit,
           gint64           committed,
           gint64           estimate,
           LkBudgetVerdict *verdict)
{
  gint64 overshoot = committed + estimate - limit;

  if (limit > 0 && overshoot > 0 && overshoot > verdict->overshoot)
    *verdict = (LkBudgetVerdict) { cap, limit, committed, overshoot };
}

/**
 * lk_budget_caps_check:
 * @estimate: what the prediction about to be created is expected to cost
 * @verdict: (out): which cap would be overshot and by how much; when
 *   several would, the one overshot the most
 *
 * Decides whether a prediction may be created. Reaching a cap exactly is
 * allowed; going over it is not.
 *
 * Returns: whether no cap would be overshot
 */
gboolean
lk_budget_caps_check (const LkBudgetCaps *caps,
                      const LkSpending   *spending,
                      gint64              estimate,
                      LkBudgetVerdict    *verdict)
{
  g_return_val_if_fail (caps != NULL, FALSE);
  g_return_val_if_fail (spending != NULL, FALSE);
  g_return_val_if_fail (verdict != NULL, FALSE);

  *verdict = (LkBudgetVerdict) { LK_BUDGET_CAP_NONE, 0, 0, 0 };
  check_cap (LK_BUDGET_CAP_JOB, caps->job, spending->job, estimate, verdict);
  check_cap (LK_BUDGET_CAP_DAILY, caps->daily, spending->day, estimate, verdict);
  check_cap (LK_BUDGET_CAP_MONTHLY, caps->monthly, spending->month, estimate, verdict);

  return verdict->cap == LK_BUDGET_CAP_NONE;
}

/**
 * lk_budget_verdict_describe:
 *
 * Returns: (transfer full) (nullable): what to tell the user when a cap
 *   stopped a job, or %NULL when the verdict allows the prediction
 */
char *
lk_budget_verdict_describe (const LkBudgetVerdict *verdict)
{
  g_autofree char *overshoot = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *committed = NULL;

  g_return_val_if_fail (verdict != NULL, NULL);

  if (verdict->cap == LK_BUDGET_CAP_NONE)
    return NULL;

  overshoot = lk_money_format (verdict->overshoot);
  limit = lk_money_format (verdict->limit);
  committed = lk_money_format (verdict->committed);

  switch (verdict->cap)
    {
    case LK_BUDGET_CAP_JOB:
      /* Translators: amounts of money. */
      return g_strdup_printf (_("The next image would go %s over this job’s budget of %s (%s spent so far). "
                                "Raise the budget to continue."),
                              overshoot, limit, committed);

    case LK_BUDGET_CAP_DAILY:
      return g_strdup_printf (_("The next image would go %s over your daily budget of %s (%s spent today). "
                                "Continue tomorrow, or raise the daily budget on the History page."),
                              overshoot, limit, committed);

    case LK_BUDGET_CAP_MONTHLY:
      return g_strdup_printf (_("The next image would go %s over your monthly budget of %s (%s spent this month). "
                                "Continue next month, or raise the monthly budget on the History page."),
                              overshoot, limit, committed);

    case LK_BUDGET_CAP_NONE:
    default:
      g_assert_not_reached ();
    }
}
