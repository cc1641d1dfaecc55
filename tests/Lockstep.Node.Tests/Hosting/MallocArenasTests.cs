using Lockstep.Node.Hosting;

namespace Lockstep.Node.Tests.Hosting;

public sealed class MallocArenasTests
{
    [Fact]
    public void Glibc_takes_the_arena_cap_unless_the_environment_already_sets_one()
    {
        bool fromEnvironment = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is { Length: > 0 };
        // Debian's glibc accepts M_ARENA_MAX (mallopt returns 1); with the variable set, the node leaves it alone.
        Assert.Equal(!fromEnvironment, MallocArenas.Limit());
    }
}
