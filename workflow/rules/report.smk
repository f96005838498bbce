# Report: after a run, `snakemake --report report.html` gathers every figure with its caption
# and the claims and exponents tables into one self-contained HTML file, grouped by paper
# figure: "Fig. 1", "Fig. 2", "Fig. 3", "Supplementary", "Tables".
#
# The rules mark their outputs with report(...) (figures.smk, coarse_graining.smk, glass.smk);
# the captions are the rst files under workflow/report/ (a panel's caption is its registry
# caption, rgcoarse.paper.panels, followed by the caption the
# figure script wrote with the measured values). This file is included before the rule files
# that use its helpers.

report: "../report/workflow.rst"


REPORT_TABLES = "Tables"
REPORT_SUPPLEMENTARY = "Supplementary"
REPORT_RMI = "Renormalized mutual information"  # the companion arms' figures (rmi.smk, wcrg.smk)
REPORT_WCRG = "Wavelet conditional RG"
REPORT_BAYES = "Bayesian renormalization"
