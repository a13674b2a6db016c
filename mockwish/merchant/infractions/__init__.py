"""Infractions (wish-merchant-api-v2.txt, Infractions): warnings with fines and proofs."""
