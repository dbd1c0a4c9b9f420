// Build this project (dotnet build samples/CertGuard.Samples.AnalyzerDemo) to see CG1001..CG1007.
// Nothing below is ever run: each method is an example of the mistake one rule catches.
Console.WriteLine("Build this project to see the CertGuard analyzer warnings CG1001 to CG1007.");
