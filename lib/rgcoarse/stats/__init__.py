"""Statistics: scaling observables, power-law fits, bootstrap, autocorrelation, information estimators."""
