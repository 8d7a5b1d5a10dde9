"""Framework-free core: ids, clock, domain errors, access rules and the change log."""
