"""The course's experiments: run-size profiles, the standard sweeps by name with the rule for what a
laptop trains live, their shipped results, and the merge of live and shipped runs a lesson analyses."""
