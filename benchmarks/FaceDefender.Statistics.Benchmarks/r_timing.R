# R timings for the same work as the BenchmarkDotNet classes in this folder. Run: Rscript r_timing.R
# Prints the elapsed seconds of each run and the median. Needs r-base-core, r-cran-boot, r-cran-vcd.
suppressPackageStartupMessages({ library(boot); library(vcd) })
runs <- as.integer(Sys.getenv("RUNS", "5"))
time_it <- function(label, expr_fun) {
  st <- sapply(seq_len(runs), function(i) { s <- system.time(expr_fun()); c(s[["elapsed"]], s[["user.self"]] + s[["sys.self"]]) })
  cat(sprintf("%-40s elapsed: %s  median %.4f s | cpu median %.4f s\n", label,
              paste(sprintf("%.3f", st[1, ]), collapse = " "), median(st[1, ]), median(st[2, ])))
}
set.seed(1); x <- rnorm(1163, 52, 3.5)
time_it("boot mean R=10000 (replicates only)", function() boot(x, function(d, i) mean(d[i]), R = 10000))
time_it("boot mean + boot.ci bca", function() {
  b <- boot(x, function(d, i) mean(d[i]), R = 10000); boot.ci(b, type = "bca") })
time_it("boot mean + boot.ci norm/basic/perc/bca", function() {
  b <- boot(x, function(d, i) mean(d[i]), R = 10000); boot.ci(b, type = c("norm", "basic", "perc", "bca")) })
time_it("boot median + boot.ci bca", function() {
  b <- boot(x, function(d, i) median(d[i]), R = 10000); boot.ci(b, type = "bca") })
set.seed(2); y <- rnorm(5000)
time_it("shapiro.test n=5000 (x100 calls)", function() for (k in 1:100) shapiro.test(y))
set.seed(3); a <- sample(1:5, 1e6, replace = TRUE)
b2 <- ifelse(runif(1e6) < 0.6, a, sample(1:5, 1e6, replace = TRUE))
time_it("vcd::Kappa(table()) on 1e6 pairs", function() Kappa(table(factor(a, levels = 1:5), factor(b2, levels = 1:5))))
