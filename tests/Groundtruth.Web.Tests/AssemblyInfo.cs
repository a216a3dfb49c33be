[assembly: AssemblyFixture(typeof(Groundtruth.Web.Tests.HazardsHost))]
