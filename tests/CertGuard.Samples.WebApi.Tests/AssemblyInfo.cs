// Every sample host publishes a meter named "CertGuard", and OpenTelemetry listens to meters by name process-wide:
// hosts running side by side would scrape each other's certificates.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
