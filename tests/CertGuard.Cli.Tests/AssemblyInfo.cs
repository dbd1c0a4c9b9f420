// Some tests change the working directory to check relative paths; run the classes one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
