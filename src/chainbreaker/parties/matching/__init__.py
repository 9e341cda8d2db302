"""The party-name matcher: representation, candidate index, comparison and scoring."""
