"""The sandbox as a server: its pipeline, faults, chaos, its pytest plugin and webhook deliveries."""
