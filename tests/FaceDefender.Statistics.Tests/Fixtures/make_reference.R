# Reference values for FaceDefender.Statistics, computed with R.
# Run from this folder:  Rscript make_reference.R
# Needs Debian's r-base-core and r-cran-boot (boot 1.3) and r-cran-vcd (vcd 1.4). irr is not packaged in
# Debian, so irr::kappa2's null standard error is written out below as its published formula
# (Fleiss, Cohen and Everitt 1969), in the same arithmetic as irr 0.84.
# Outputs (all committed; tests never run R):
#   datasets.tsv          name <TAB> comma-separated values (%.17g)
#   reference.tsv         id <TAB> value (%.17g) <TAB> the R call that produced it
#   boot_<name>.csv       boot.array(b, indices = TRUE): one resample per row, 1-based indices
#   kappa_tables.tsv      name <TAB> categories <TAB> counts, row-major (rows = rater 1)
#   kappa_pairs.tsv       name <TAB> categories <TAB> rater1 labels <TAB> rater2 labels (1-based)
suppressPackageStartupMessages({ library(boot); library(vcd) })
options(warn = 1)

fmt <- function(v) sprintf("%.17g", v)
datasets <- list()
dataset <- function(name, x) { datasets[[name]] <<- x; assign(name, x, envir = globalenv()); invisible(x) }
ref <- data.frame(id = character(), value = character(), call = character(), stringsAsFactors = FALSE)
rec <- function(id, call) {
  v <- eval(parse(text = call), envir = globalenv())
  v <- unname(as.numeric(v))
  ids <- if (length(v) == 1) id else paste0(id, "[", seq_along(v), "]")
  ref <<- rbind(ref, data.frame(id = ids, value = fmt(v), call = call, stringsAsFactors = FALSE))
}

# ---------------------------------------------------------------- data sets
dataset("n1", c(4.2))
dataset("n2", c(3.1, -0.7))
dataset("n3", c(2, 9, 4))
dataset("n4", c(5, 1, 5, 3))
dataset("n5", c(10.5, 7.25, 3, 8, 7.25))
dataset("ties12", c(1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 20))
dataset("constant6", rep(7.5, 6))
set.seed(42); dataset("normal50", round(rnorm(50, 52, 3.5), 2))
set.seed(43); dataset("skewed200", round(40 + 10 * rexp(200), 1))
dataset("fence_on", c(-3, 2, 3, 4, 5, 6, 7, 8, 13))
dataset("fence_out", c(-3.5, 2, 3, 4, 5, 6, 7, 8, 13.5))
set.seed(7); dataset("sw5000", rnorm(5000))
set.seed(15); dataset("sw5000_ties", round(rnorm(5000, 10, 2), 1))
set.seed(8); dataset("sw_ties100", round(rnorm(100), 1))
dataset("sw_n3_ties", c(1, 1, 2))
set.seed(9); dataset("sw_n7", rnorm(7))
set.seed(10); dataset("sw_n11_exp", rexp(11))
set.seed(12); dataset("sw_n30_exp", rexp(30))
set.seed(13); dataset("sw_n1163", rnorm(1163, 52, 3.5))
dataset("sw_tinyrange", 1 + c(0, 1, 3, 4, 7, 8) * 1e-12)
dataset("sw_extreme", c(0, 0, 0, 0, 0, 1))
set.seed(11); dataset("boot30", round(rnorm(30, 10, 2), 3))
set.seed(14); dataset("boot40skew", round(exp(rnorm(40)), 4))

# ---------------------------------------------------------------- quantiles, all nine types
probs <- c(0, 0.01, 0.025, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 1)
for (d in c("n1", "n2", "n3", "n4", "n5", "ties12", "normal50", "skewed200"))
  for (type in 1:9)
    rec(sprintf("quantile/%s/type%d", d, type),
        sprintf("quantile(%s, c(%s), type = %d)", d, paste(probs, collapse = ", "), type))

# ---------------------------------------------------------------- Tukey fences (k = 1.5 and 3)
fences <- function(x, k) { q <- quantile(x, c(0.25, 0.75)); i <- diff(q)
  keep <- x >= q[1] - k * i & x <= q[2] + k * i
  c(q[1], q[2], q[1] - k * i, q[2] + k * i, sum(keep), sum(!keep)) }
for (d in c("fence_on", "fence_out", "ties12", "skewed200", "normal50"))
  for (k in c(1.5, 3))
    rec(sprintf("fences/%s/k%s", d, k), sprintf("fences(%s, %s)  # q1, q3, lower, upper, n kept, n removed", d, k))

# ---------------------------------------------------------------- Shapiro-Wilk
for (d in c("n3", "n4", "n5", "sw_n3_ties", "sw_n7", "sw_n11_exp", "sw_n30_exp", "ties12", "normal50",
            "skewed200", "sw_ties100", "sw_n1163", "sw5000", "sw5000_ties", "sw_tinyrange", "sw_extreme"))
  rec(sprintf("shapiro/%s", d), sprintf("unlist(shapiro.test(%s)[c('statistic', 'p.value')])", d))

# ---------------------------------------------------------------- normal-method intervals
for (d in c("n2", "n5", "normal50", "skewed200")) {
  rec(sprintf("tci/%s/0.95", d), sprintf("t.test(%s, conf.level = 0.95)$conf.int", d))
  rec(sprintf("tci/%s/0.9", d), sprintf("t.test(%s, conf.level = 0.9)$conf.int", d))
  rec(sprintf("zci/%s/0.95", d), sprintf("mean(%s) + c(-1, 1) * qnorm(0.975) * sd(%s) / sqrt(length(%s))", d, d, d))
  rec(sprintf("ref/%s/0.95", d), sprintf("mean(%s) + c(-1, 1) * qnorm(0.975) * sd(%s)", d, d))
  rec(sprintf("ref/%s/0.9", d), sprintf("mean(%s) + c(-1, 1) * qnorm(0.95) * sd(%s)", d, d))
  rec(sprintf("pred/%s/0.95", d), sprintf("mean(%s) + c(-1, 1) * qt(0.975, length(%s) - 1) * sd(%s) * sqrt(1 + 1/length(%s))", d, d, d, d))
  rec(sprintf("pct/%s/0.95", d), sprintf("quantile(%s, c(0.025, 0.975))", d))
  rec(sprintf("meansd/%s", d), sprintf("c(mean(%s), sd(%s))", d, d))
}
rec("zci/normal50/sigma3", "mean(normal50) + c(-1, 1) * qnorm(0.975) * 3 / sqrt(50)")
for (df in c(1, 2, 5, 29, 49, 1162)) rec(sprintf("qt/%d", df), sprintf("qt(c(0.95, 0.975, 0.995), %d)", df))

# ---------------------------------------------------------------- bootstrap on R's own resamples
bootcase <- function(name, dname, stat, R, seed, conf) {
  set.seed(seed)
  b <- boot(get(dname), function(d, i) stat(d[i]), R = R)
  assign(name, b, envir = globalenv())
  write.table(boot.array(b, indices = TRUE), sprintf("boot_%s.csv", name), sep = ",", row.names = FALSE, col.names = FALSE)
  rec(sprintf("boot/%s/t0", name), sprintf("%s$t0", name))
  rec(sprintf("boot/%s/t", name), sprintf("%s$t[, 1]", name))
  rec(sprintf("boot/%s/L.reg", name), sprintf("empinf(%s, type = 'reg')", name))
  rec(sprintf("boot/%s/L.jack", name), sprintf("empinf(%s, type = 'jack')", name))
  for (cf in conf) {
    ci <- sprintf("boot.ci(%s, conf = %s, type = c('norm', 'basic', 'perc', 'bca'))", name, cf)
    rec(sprintf("boot/%s/%s/norm", name, cf), sprintf("%s$normal[2:3]", ci))
    rec(sprintf("boot/%s/%s/basic", name, cf), sprintf("%s$basic[4:5]", ci))
    rec(sprintf("boot/%s/%s/perc", name, cf), sprintf("%s$percent[4:5]", ci))
    rec(sprintf("boot/%s/%s/bca", name, cf), sprintf("%s$bca[4:5]", ci))
  }
  rec(sprintf("boot/%s/0.95/bca.jack", name), sprintf("boot.ci(%s, type = 'bca', L = empinf(%s, type = 'jack'))$bca[4:5]", name, name))
}
bootcase("mean30", "boot30", mean, 999, 101, c(0.95, 0.9))
bootcase("median30", "boot30", median, 1000, 102, c(0.95))
bootcase("sd40", "boot40skew", sd, 500, 103, c(0.95, 0.8))

# ---------------------------------------------------------------- Cohen's kappa
# irr::kappa2's arithmetic (irr 0.84.1), written out because Debian has no r-cran-irr: weights, agreement,
# chance agreement, and the Fleiss-Cohen-Everitt (1969) standard error under H0: kappa = 0.
kappa2_formula <- function(ttab, weight = c("unweighted", "equal", "squared")) {
  weight <- match.arg(weight)
  ns <- sum(ttab); nc <- ncol(ttab)
  w <- switch(weight, unweighted = c(1, rep(0, nc - 1)), equal = (nc - 1):0 / (nc - 1),
              squared = 1 - (0:(nc - 1))^2 / (nc - 1)^2)
  wvec <- c(sort(w, decreasing = FALSE), w[2:length(w)])
  weighttab <- matrix(0, nrow = nc, ncol = nc)
  for (i in 1:nc) weighttab[i, ] <- wvec[(nc - (i - 1)):(2 * nc - i)]
  agreeP <- sum(ttab * weighttab) / ns
  tm1 <- apply(ttab, 1, sum); tm2 <- apply(ttab, 2, sum)
  eij <- outer(tm1, tm2) / ns
  chanceP <- sum(eij * weighttab) / ns
  value <- (agreeP - chanceP) / (1 - chanceP)
  w.i <- apply(rep(tm2 / ns, nc) * weighttab, 2, sum)
  w.j <- apply(rep(tm1 / ns, each = nc) * weighttab, 1, sum)
  var.matrix <- (eij / ns) * (weighttab - outer(w.i, w.j, "+"))^2
  varkappa <- (sum(var.matrix) - chanceP^2) / (ns * (1 - chanceP)^2)
  SEkappa <- sqrt(varkappa)
  u <- value / SEkappa
  c(value = value, se0 = SEkappa, z = u, p = 2 * pnorm(-abs(u)), po = agreeP, pc = chanceP)
}
kappa_tables <- list()
kcase <- function(name, tab) {
  tab <- as.table(tab); assign(name, tab, envir = globalenv())
  kappa_tables[[name]] <<- tab
  for (wt in c("unweighted", "equal", "squared"))
    rec(sprintf("kappa/%s/irr/%s", name, wt), sprintf("kappa2_formula(%s, '%s')  # value, se0, z, p, po, pc", name, wt))
  rec(sprintf("kappa/%s/vcd/unweighted", name), sprintf("Kappa(%s)$Unweighted  # value, ASE", name))
  rec(sprintf("kappa/%s/vcd/equal", name), sprintf("Kappa(%s, weights = 'Equal-Spacing')$Weighted", name))
  rec(sprintf("kappa/%s/vcd/squared", name), sprintf("Kappa(%s, weights = 'Fleiss-Cohen')$Weighted", name))
  rec(sprintf("kappa/%s/vcd/ci/equal", name), sprintf("confint(Kappa(%s, weights = 'Equal-Spacing'), level = 0.95)  # lwr unweighted, lwr weighted, upr unweighted, upr weighted", name))
  rec(sprintf("kappa/%s/vcd/ci90/squared", name), sprintf("confint(Kappa(%s, weights = 'Fleiss-Cohen'), level = 0.9)", name))
}
kcase("k2", matrix(c(20, 5, 10, 15), 2, byrow = TRUE))
kcase("k2_paper_like", matrix(c(40, 9, 22, 43), 2, byrow = TRUE))
kcase("k3", matrix(c(22, 5, 3, 4, 18, 6, 2, 7, 33), 3, byrow = TRUE))
kcase("k4", matrix(c(15, 3, 1, 0, 4, 20, 5, 1, 1, 6, 18, 4, 0, 1, 5, 16), 4, byrow = TRUE))
kcase("k5", matrix(c(9, 2, 1, 0, 0, 3, 11, 3, 1, 0, 1, 2, 14, 2, 1, 0, 1, 3, 12, 2, 0, 0, 1, 2, 8), 5, byrow = TRUE))
kcase("k4_unobserved", matrix(c(12, 3, 1, 0, 2, 15, 4, 0, 1, 3, 9, 0, 0, 0, 0, 0), 4, byrow = TRUE))
kcase("k3_perfect", diag(c(7, 5, 9)))
kcase("k3_rater1_constant", matrix(c(6, 3, 2, 0, 0, 0, 0, 0, 0), 3, byrow = TRUE))
# Label pairs: 114 subjects, 4 categories of which only 3 are used; tabulated with all 4 levels.
set.seed(21); r1 <- sample(1:3, 114, replace = TRUE, prob = c(0.5, 0.3, 0.2))
r2 <- ifelse(runif(114) < 0.6, r1, sample(1:3, 114, replace = TRUE))
kappa_pairs <- list(pairs114 = list(k = 4, r1 = r1, r2 = r2))
kcase("pairs114", table(factor(r1, levels = 1:4), factor(r2, levels = 1:4)))
kcase("pairs114_3cat", table(factor(r1, levels = 1:3), factor(r2, levels = 1:3)))

# ---------------------------------------------------------------- sample size (paper, section 3)
rec("samplesize/margin", "1.96 * 3.31 / sqrt(50)")
rec("samplesize/n", "(1.96 * 3.63 / 0.92)^2")
rec("samplesize/n_exactz", "(qnorm(0.975) * 3.63 / 0.92)^2")

# ---------------------------------------------------------------- reference-interval procedure on a synthetic cohort
# Synthetic "healthy cohort" (random numbers, no real people): a normal column with 4 planted outliers and a
# missing value, and a right-skewed column. The paper's procedure: Tukey fences (1.5 IQR, type 7), Shapiro-Wilk on
# the kept values, then mean +/- qnorm(0.975) * sd when p >= 0.05, else a nonparametric (bootstrap) method.
set.seed(31)
cohort <- data.frame(id = sprintf("S%03d", 1:304),
                     distance_left = c(round(rnorm(300, 53, 3.5), 2), 80.5, 21.25, 79, 30),
                     ratio_left = round(exp(rnorm(304, log(0.7), 0.25)), 4))
cohort$distance_left[17] <- NA
write.csv(cohort, "cohort.csv", row.names = FALSE, na = "")
procedure <- function(x) { x <- x[!is.na(x)]; q <- quantile(x, c(0.25, 0.75)); i <- diff(q)
  kept <- x[x >= q[1] - 1.5 * i & x <= q[2] + 1.5 * i]; sw <- shapiro.test(kept)
  c(length(x), length(kept), q[1] - 1.5 * i, q[2] + 1.5 * i, sw$statistic, sw$p.value,
    mean(kept) + c(-1, 1) * qnorm(0.975) * sd(kept), quantile(kept, c(0.025, 0.975))) }
rec("cohort/distance_left", "procedure(cohort$distance_left)  # n, n kept, fences, W, p, normal limits, 2.5/97.5 % quantiles")
rec("cohort/ratio_left", "procedure(cohort$ratio_left)")

# ---------------------------------------------------------------- write
ktab <- data.frame(name = names(kappa_tables), k = sapply(kappa_tables, ncol),
                   counts = sapply(kappa_tables, function(t) paste(as.vector(t(t)), collapse = ",")))
write.table(ktab, "kappa_tables.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
ptab <- data.frame(name = names(kappa_pairs), k = sapply(kappa_pairs, function(p) p$k),
                   rater1 = sapply(kappa_pairs, function(p) paste(p$r1, collapse = ",")),
                   rater2 = sapply(kappa_pairs, function(p) paste(p$r2, collapse = ",")))
write.table(ptab, "kappa_pairs.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
dtab <- data.frame(name = names(datasets), values = sapply(datasets, function(x) paste(fmt(x), collapse = ",")))
write.table(dtab, "datasets.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
write.table(ref, "reference.tsv", sep = "\t", quote = FALSE, row.names = FALSE)
cat(R.version.string, "; boot", as.character(packageVersion("boot")), "; vcd", as.character(packageVersion("vcd")), "\n",
    file = "r_version.txt")
