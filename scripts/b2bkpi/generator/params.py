"""The simulation's parameters: one place to read or tune what the generated company looks like.

Volumes scale with the number of leads `n`:
- accounts: max(20, n / 8); about 10 % are ABM target accounts (`ACCOUNT_ABM_SHARE`), which draw
  three times their share of leads and qualify a little more often (`ABM_QUALIFY_BOOST`);
  about 12 % were already customers when the range starts (`EXISTING_CUSTOMER_SHARE`).
- web visitors: every lead with web visits has one device (10 % two), plus
  `ANON_VISITORS_PER_LEAD` anonymous visitors per lead who never identify.
- junk leads (test/spam, soft-deleted) ~1 %; rejectable rows a few per table (`REJECTS`).

Lead lifecycle (status picklist of raw_sources.md; durations are lognormal, median in days):
- contacted 88 % (`P_CONTACTED`) after ~1 day; 1 % are created by sales straight into
  'Sales Accepted'; from 'Working - Contacted': 4 % disqualified early, 4 % skip MQL straight to
  'Sales Accepted' (demo requests), `P_MQL` (× channel propensity × ABM boost) become MQL after
  ~10 days, the others nurture (a fifth of them qualify later), close or stay open.
- MQL decision by sales after ~2.5 days: 50 % accepted, 30 % rejected ('Disqualified' with a
  reason), 12 % recycled to 'Nurturing' (half qualify again: two MQL entries), 8 % wait.
- SQL ('Sales Accepted', 60 % then 'Sales Qualified'): 60 % converted after ~9 days, 12 %
  disqualified, 10 % recycled, 10 % closed not converted, 8 % still open.
- New Business opportunities: stage by stage (~8 days each, 15 % of stages skipped); a loss
  chance per stage gives a win rate near 30 % of closed; 30 % of stages also change the amount.
- Subscriptions (won New Business and the existing base): contracts of 12/24/36 months, renewal
  opportunity 45–90 days before the end, renewed 87 % (ABM 93 %) with a 0–8 % uplift; a yearly
  25 % chance of an Upsell/Cross-sell opportunity, won half of the time (co-termed contract).
Messiness: 2 % re-sync duplicates per Fivetran table, 5 % picklist casing, 30 % of emails in mixed
case and 10 % padded with spaces.
"""

# ---- the sample (`make run`, `b2bkpi run` without a raw folder, `b2bkpi generate`'s defaults)
SAMPLE = {"seed": 42, "leads": 5000, "start": "2024-01-01", "end": "2025-12-31"}

# ---- company and calendar ---------------------------------------------------------------
CORPORATE_CURRENCY = "EUR"
FX_START = {"USD": 1.08, "GBP": 0.855, "CHF": 0.95}  # units per 1 EUR in the first month
FX_MONTHLY_VOLATILITY = 0.012

COUNTRIES = {  # billing country: (currency, share of accounts, visitor time zones)
    "Germany": ("EUR", 0.20, ("Europe/Berlin",)),
    "France": ("EUR", 0.09, ("Europe/Paris",)),
    "Netherlands": ("EUR", 0.07, ("Europe/Amsterdam",)),
    "Spain": ("EUR", 0.05, ("Europe/Madrid",)),
    "Italy": ("EUR", 0.04, ("Europe/Rome",)),
    "Austria": ("EUR", 0.03, ("Europe/Vienna",)),
    "Ireland": ("EUR", 0.03, ("Europe/Dublin",)),
    "United States": ("USD", 0.22, ("America/New_York", "America/Chicago", "America/Los_Angeles")),
    "United Kingdom": ("GBP", 0.17, ("Europe/London",)),
    "Switzerland": ("CHF", 0.10, ("Europe/Zurich",)),
}
# anonymous visitors come from the same countries plus a few time zones without accounts
EXTRA_VISITOR_TIME_ZONES = {"Asia/Kolkata": 0.05, "America/Sao_Paulo": 0.02, "Asia/Singapore": 0.02}

INDUSTRIES = {
    "Technology": 0.22, "Manufacturing": 0.15, "Financial Services": 0.12, "Healthcare": 0.09,
    "Retail": 0.08, "Professional Services": 0.12, "Logistics": 0.07, "Education": 0.05,
    "Media": 0.05, "Energy": 0.05,
}
ACCOUNT_ABM_SHARE = 0.10
EXISTING_CUSTOMER_SHARE = 0.12
EMPLOYEES_MEDIAN, EMPLOYEES_SIGMA = 250, 1.3

SALES_REPS = 15  # 6 SDRs (own new leads) + 9 AEs (own accounts, accepted leads, opportunities)
SDRS = 6

# ---- leads ---------------------------------------------------------------------------------
# channel code: (lead_source picklist value, share of leads, share of its leads with web visits,
#                MQL propensity)
CHANNELS = {
    "organic": ("Organic Search", 0.27, 0.95, 1.00),
    "paid_search": ("Paid Search", 0.18, 1.00, 1.00),
    "paid_social": ("Paid Social", 0.12, 1.00, 0.80),
    "email": ("Email", 0.10, 0.75, 0.90),
    "events": ("Event", 0.10, 0.15, 1.15),
    "referral": ("Referral", 0.08, 0.60, 1.30),
    "direct": ("Direct", 0.15, 0.90, 1.10),
}
MONTH_SEASONALITY = (0.90, 1.05, 1.15, 1.05, 1.00, 0.90, 0.80, 0.65, 1.05, 1.15, 1.10, 0.70)
WEEKDAY_WEIGHT = (1.0, 1.05, 1.05, 1.0, 0.9, 0.25, 0.2)
GROWTH_PER_YEAR = 0.30
JUNK_LEAD_SHARE = 0.01
LEAD_INDUSTRY_MISSING, LEAD_EMPLOYEES_MISSING = 0.05, 0.12

P_DIRECT_SQL = 0.01
P_CONTACTED = 0.88
P_CLOSE_UNCONTACTED = 0.5
P_DQ_EARLY = 0.04
P_SKIP_TO_SQL = 0.04
P_MQL = 0.36
ABM_QUALIFY_BOOST = 1.25
P_NURTURE_UNQUALIFIED = 0.45
P_CLOSE_UNQUALIFIED = 0.25
P_LATE_MQL = 0.20
P_ACCEPT, P_REJECT, P_RECYCLE_MQL = 0.52, 0.26, 0.12
P_REQUALIFY = 0.50
MAX_MQL_CYCLES = 3
P_SALES_QUALIFIED = 0.60
P_CONVERT, P_SQL_DQ, P_SQL_RECYCLE, P_SQL_CLOSE = 0.60, 0.10, 0.10, 0.10
P_OWNER_REASSIGN = 0.05

# (median days, sigma) of lognormal waits
WAIT_CONTACT = (1.0, 1.0)
WAIT_DIRECT_SQL = (0.02, 0.5)
WAIT_DQ_EARLY = (5.0, 0.8)
WAIT_TO_MQL = (10.0, 0.9)
WAIT_TO_NURTURE = (14.0, 0.7)
WAIT_CLOSE = (45.0, 0.5)
WAIT_NURTURE_TO_MQL = (35.0, 0.6)
WAIT_MQL_DECISION = (2.5, 0.8)
WAIT_SA_TO_SQ = (4.0, 0.6)
WAIT_SQL_DECISION = (9.0, 0.7)
MIN_WAIT_DAYS = 0.01  # about 15 minutes: no two changes of a lead share a timestamp

EARLY_DQ_REASONS = {"Bad data": 0.5, "Not in ICP": 0.35, "Competitor": 0.15}
MQL_REJECT_REASONS = {
    "No budget": 0.25, "Not decision maker": 0.20, "Competitor": 0.10, "Bad timing": 0.20,
    "Bad data": 0.10, "Not in ICP": 0.15,
}
SQL_DQ_REASONS = {"No budget": 0.45, "Bad timing": 0.35, "Competitor": 0.20}

# ---- opportunities and subscriptions --------------------------------------------------------
OPP_STAGES = {  # stage: probability (%)
    "Prospecting": 10, "Qualification": 10, "Needs Analysis": 20, "Value Proposition": 50,
    "Id. Decision Makers": 60, "Perception Analysis": 70, "Proposal/Price Quote": 75,
    "Negotiation/Review": 90, "Closed Won": 100, "Closed Lost": 0,
}
OPEN_STAGES = tuple(OPP_STAGES)[:8]
WAIT_STAGE = (8.0, 0.7)
P_STAGE_SKIP = 0.15
P_STAGE_LOSS = 0.16
P_AMOUNT_CHANGE = 0.30
LOSS_REASONS = {
    "Price": 0.25, "Competitor": 0.25, "No Decision": 0.20, "Lost Budget": 0.10, "Timing": 0.12,
    "Missing Feature": 0.08,
}
ACV_MEDIAN_EUR, ACV_SIGMA = 18_000, 0.6
CONTRACT_TERMS = {12: 0.75, 24: 0.15, 36: 0.10}
P_RENEW, P_RENEW_ABM = 0.87, 0.93
RENEWAL_UPLIFT_MAX = 0.08
P_EXPANSION_PER_YEAR = 0.25
P_EXPANSION_WIN = 0.50
EXPANSION_SHARE_OF_ACV = (0.15, 0.45)
# a lead converted at a customer account: the share whose opportunity keeps the default type
# 'New Business' (the rest are typed Upsell / Cross-sell by the rep)
P_NEW_BUSINESS_AT_CUSTOMER = 0.3
# contracts that make nobody a customer: a draft left by a New Business deal lost after a
# value proposition; an activated contract re-issued, its first version 'Terminated'
P_DRAFT_WHEN_LOST = 0.5
P_CONTRACT_REISSUED = 0.05
P_OPP_WITHOUT_HISTORY = 0.01  # closed opportunities whose history rows were never synced

# ---- web -------------------------------------------------------------------------------------
ANON_VISITORS_PER_LEAD = 8
P_SECOND_DEVICE = 0.10
P_SHARED_DEVICE = 0.02  # lead devices a colleague later identifies on too
SESSION_CHANNEL_MIX = {  # sessions other than the lead-creating one
    "organic": 0.38, "direct": 0.22, "paid_search": 0.14, "paid_social": 0.08, "referral": 0.08,
    "email": 0.10,
}
P_LINKEDIN_FOR_PAID_SOCIAL = 0.65
P_BOUNCE = 0.45
MEAN_EXTRA_PAGES = 2.0
PAGE_GAP = (40.0, 1.0)  # seconds: median, sigma; capped well under the 30-minute session gap
SESSION_GAP_DAYS = (3.0, 1.3)
MIN_SESSION_GAP_MINUTES = 35
P_CONTENT_DOWNLOAD = 0.25

# ---- email -------------------------------------------------------------------------------------
P_OPTED_IN = 0.80
P_BAD_EMAIL = 0.03
P_BOUNCE_GOOD_EMAIL = 0.005
OPEN_PROPENSITY = (2.0, 6.0)  # beta(a, b) per lead: mean 0.25
P_REOPEN = 0.25
P_CLICK_GIVEN_OPEN = 0.18
P_UNSUBSCRIBE = 0.004
SCORE_POINTS = {"form": 25, "demo": 50, "click": 5, "pricing": 10, "unsubscribe": -15}

# ---- messiness ---------------------------------------------------------------------------------
DUPLICATE_SHARE = 0.02
PICKLIST_CASING_SHARE = 0.05
EMAIL_MIXED_CASE_SHARE, EMAIL_PADDED_SHARE = 0.30, 0.10
REJECTS = {"orphan_history": 4, "lead_without_created_date": 3, "unknown_currency_opportunity": 3}
