# Reference values for alliancekit.analysis.reliability, computed with R's psych package.
#
# Run from the repository root:   Rscript tests/data/psych/reference.R
# It reads the CSV files that make_data.py wrote next to it and writes reference.json there.
# Needs psych, GPArotation (for psych::omega) and nothing else; numbers are written with
# sprintf("%.17g"), i.e. every double round-trips exactly.
#
# What is computed, per case (a data set, its reverse-keyed items and the missing-data rule):
#   alpha, standardized_alpha, average_r, item_total (r.drop), alpha_if_deleted (alpha.drop
#   raw_alpha), alpha_ci (psych's $feldt: Feldt, Woodruff & Salih 1987, 95 %) and n (psych's
#   nsub, the rows it was given): psych::alpha(x, keys = <reverse-keyed item names>).
#   alpha_ci_90: psych::alpha.ci(alpha, n, 12, p.val = 0.10), the same interval at 90 %.
#   Reverse keys are passed to psych::alpha as `keys`; psych flips the covariance matrix with them.
#   Listwise cases pass na.omit(x) to psych, which otherwise always uses all rows for n.
#   sem: sqrt(sum(C)) * sqrt(1 - alpha), C = cov(keyed x, use = "pairwise") -- the SD of the total
#   implied by the covariance matrix that alpha itself uses (psych does not report a SEM; for
#   complete data this is checked below to equal sd(rowSums(keyed x))).
#   omega_psych_minres: psych::omega(keyed x, nfactors = 1, flip = FALSE)$omega.tot, otherwise
#   psych's defaults (fm = "minres": L-BFGS-B with factr = 1e7, so its optimum is approximate).
#   flip = FALSE: the scale's keys define the composite, so an item that happens to load
#   negatively (q5 in small.csv does) is not reversed behind the scale's back.
#   omega: the same omega.tot formula as psych's omegah, (sum(R) - sum(u2)) / sum(R) with
#   R = cor(keyed x, use = "pairwise") and u2 = 1 - h2, evaluated at the converged one-factor
#   least-squares solution: psych::fa(R, 1, fm = "pa", min.err = 1e-15, max.iter = 1e5) --
#   iterated principal axes, whose fixed point is the minres / ULS solution psych's optimizer
#   approaches.  Both omega values are stored so the test can say how close psych's gets.

suppressPackageStartupMessages(library(psych))

here <- "tests/data/psych"
if (!file.exists(file.path(here, "complete.csv"))) here <- "."

num <- function(x) {
  if (is.na(x)) return("null")
  sprintf("%.17g", x)
}
json <- function(v, indent = "") {
  inner <- paste0(indent, "  ")
  if (is.list(v)) {
    if (length(v) == 0) return(if (is.null(names(v))) "[]" else "{}")
    parts <- vapply(v, json, "", indent = inner)
    if (is.null(names(v))) {
      return(paste0("[\n", paste0(inner, parts, collapse = ",\n"), "\n", indent, "]"))
    }
    keys <- vapply(names(v), function(k) json(k), "")
    return(paste0("{\n", paste0(inner, keys, ": ", parts, collapse = ",\n"), "\n", indent, "}"))
  }
  if (is.character(v) && length(v) == 1 && is.null(names(v))) {
    return(paste0('"', gsub('"', '\\\\"', gsub("\\\\", "\\\\\\\\", v)), '"'))
  }
  if (is.logical(v) && length(v) == 1) return(if (v) "true" else "false")
  if (!is.null(names(v))) return(json(as.list(v), indent))
  if (length(v) == 1 && !inherits(v, "AsIs")) return(num(v))
  one <- if (is.character(v)) function(e) json(as.character(e)) else num
  paste0("[", paste(vapply(v, one, ""), collapse = ", "), "]")
}

keyed <- function(x, reverse) {
  for (item in reverse) x[[item]] <- 6 - x[[item]]   # the items' response set is 1..5
  x
}

converged_omega <- function(R) {
  f <- suppressMessages(fa(R, nfactors = 1, fm = "pa", min.err = 1e-15, max.iter = 1e5,
                           warnings = TRUE))
  u2 <- 1 - f$communality
  list(omega = (sum(R) - sum(u2)) / sum(R), loadings = as.vector(f$loadings))
}

case <- function(id, file, reverse = character(0), missing = "pairwise") {
  x <- read.csv(file.path(here, file))
  if (missing == "listwise") x <- na.omit(x)
  keys <- if (length(reverse)) reverse else NULL
  a <- alpha(x, keys = keys, warnings = FALSE)
  xk <- keyed(x, reverse)
  C <- cov(xk, use = "pairwise")
  sd_total <- sqrt(sum(C))
  if (!anyNA(xk)) stopifnot(isTRUE(all.equal(sd_total, sd(rowSums(xk)), tolerance = 1e-13)))
  # Keys by name and pre-reversed data must agree (psych flips C, we recode answers).
  stopifnot(isTRUE(all.equal(a$total$raw_alpha, alpha(xk, warnings = FALSE)$total$raw_alpha,
                             tolerance = 1e-14)))
  R <- cor(xk, use = "pairwise")
  om <- suppressWarnings(suppressMessages(omega(xk, nfactors = 1, flip = FALSE, plot = FALSE)))
  conv <- converged_omega(R)
  ci90 <- alpha.ci(a$total$raw_alpha, nrow(x), ncol(x), p.val = 0.10)
  items <- colnames(x)
  named <- function(v) { v <- as.numeric(v); names(v) <- items; as.list(v) }
  list(
    id = id, file = file, reverse = I(reverse), missing = missing,
    n = nrow(x),
    alpha = a$total$raw_alpha,
    standardized_alpha = a$total$std.alpha,
    average_r = a$total$average_r,
    item_total = named(a$item.stats$r.drop),
    alpha_if_deleted = named(a$alpha.drop$raw_alpha),
    alpha_ci = I(c(a$feldt$lower.ci[[1]], a$feldt$upper.ci[[1]])),
    alpha_ci_90 = I(c(ci90$lower.ci[[1]], ci90$upper.ci[[1]])),
    sem = sd_total * sqrt(1 - a$total$raw_alpha),
    omega = conv$omega,
    omega_psych_minres = om$omega.tot
  )
}

cases <- list(
  case("complete", "complete.csv"),
  case("small", "small.csv"),
  case("reversed", "reversed.csv", reverse = c("q3", "q7")),
  case("missing-pairwise", "missing.csv"),
  case("missing-listwise", "missing.csv", missing = "listwise")
)
gap <- max(vapply(cases, function(k) abs(k$omega - k$omega_psych_minres), 0))

out <- list(
  meta = list(
    r_version = R.version.string,
    psych_version = as.character(packageVersion("psych")),
    gparotation_version = as.character(packageVersion("GPArotation")),
    command = "Rscript tests/data/psych/reference.R",
    date = format(Sys.time(), "%Y-%m-%dT%H:%M:%S%z"),
    omega_psych_minres_max_gap = gap,
    notes = list(
      "All statistics but omega and sem are psych::alpha's own output (keys = reverse-keyed items).",
      "psych::omega is called with flip = FALSE: q5 loads negatively in small.csv and the scale's keys, not the data, define the composite.",
      "omega is psych's omega.tot formula at the converged one-factor least-squares solution (fa fm = 'pa', min.err = 1e-15); omega_psych_minres is psych::omega(x, nfactors = 1)$omega.tot, whose L-BFGS-B stops early (factr 1e7), so it differs from the converged value by up to omega_psych_minres_max_gap.",
      "sem = sqrt(sum(cov(keyed x, use = 'pairwise'))) * sqrt(1 - alpha); equal to sd(rowSums(keyed x)) * sqrt(1 - alpha) for complete data (checked).",
      "n is the number of rows given to psych::alpha (na.omit(x) for listwise cases)."
    )
  ),
  cases = cases
)
writeLines(json(out), file.path(here, "reference.json"))
cat("wrote", file.path(here, "reference.json"), "\n")
