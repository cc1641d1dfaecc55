using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Lockstep.Node.Metrics;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4) of one Meter's instruments (that Meter object only: several
/// nodes in one process each have their own), collected through a
/// MeterListener (no Prometheus client library is available here). Instrument names are already Prometheus names
/// (ARCHITECTURE.md §3: <c>lockstep_</c>, snake_case, base units, counters ending in <c>_total</c>); tags become labels.
/// Counters and up-down counters add up, histograms keep cumulative buckets, and observable instruments are asked
/// afresh at every scrape, so a folder or device that went away stops being exported.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<Instrument, Family> _families = new();

    private sealed class Family(Instrument instrument)
    {
        public Instrument Instrument { get; } = instrument;
        public SortedDictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Series
    {
        public double Value;
        public double Sum;
        public long Count;
        public long[]? Buckets;
    }

    public PrometheusExporter(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter))
                return;
            lock (_lock)
                _families[instrument] = new Family(instrument);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.MeasurementsCompleted = (instrument, _) =>
        {
            lock (_lock)
                _families.Remove(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Every series now, in the text format.</summary>
    public string Scrape()
    {
        // One scrape at a time: a second one clearing the observed series between this one's observation and its
        // rendering would make this one export nothing for them (scrapers and dashboards do ask concurrently).
        lock (_scrapeLock)
            return ScrapeOnce();
    }

    private readonly Lock _scrapeLock = new();

    private string ScrapeOnce()
    {
        lock (_lock)
        {
            foreach (var family in _families.Values.Where(f => f.Instrument.IsObservable))
                family.Series.Clear(); // observed afresh below
        }
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        lock (_lock)
        {
            foreach (var family in _families.Values.OrderBy(f => f.Instrument.Name, StringComparer.Ordinal))
                Write(text, family);
        }
        return text.ToString();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (_lock)
        {
            if (!_families.TryGetValue(instrument, out var family))
                return;
            if (!family.Series.TryGetValue(labels, out var series))
                family.Series[labels] = series = new Series();
            switch (instrument)
            {
                case Histogram<double> or Histogram<long> or Histogram<int>:
                    series.Buckets ??= new long[DefaultBuckets.Length];
                    for (int i = 0; i < DefaultBuckets.Length; i++)
                    {
                        if (value <= DefaultBuckets[i])
                            series.Buckets[i]++;
                    }
                    series.Sum += value;
                    series.Count++;
                    break;
                case Counter<long> or Counter<int> or Counter<double> or UpDownCounter<long> or UpDownCounter<int> or UpDownCounter<double>:
                    series.Value += value;
                    break;
                default: // observable counters report their running total, gauges their current value
                    series.Value = value;
                    break;
            }
        }
    }

    private static void Write(StringBuilder text, Family family)
    {
        var instrument = family.Instrument;
        string name = instrument.Name;
        string type = instrument switch
        {
            Histogram<double> or Histogram<long> or Histogram<int> => "histogram",
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => "counter",
            _ => "gauge",
        };
        text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(instrument.Description ?? name)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, series) in family.Series)
        {
            if (type == "histogram")
            {
                for (int i = 0; i < DefaultBuckets.Length; i++)
                    Sample(text, name + "_bucket", With(labels, "le", Number(DefaultBuckets[i])), series.Buckets?[i] ?? 0);
                Sample(text, name + "_bucket", With(labels, "le", "+Inf"), series.Count);
                Sample(text, name + "_sum", labels, series.Sum);
                Sample(text, name + "_count", labels, series.Count);
            }
            else
            {
                Sample(text, name, labels, series.Value);
            }
        }
    }

    private static void Sample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
            text.Append('{').Append(labels).Append('}');
        text.Append(' ').Append(Number(value)).Append('\n');
    }

    /// <summary>Tags as Prometheus labels, sorted by name so the same set is always the same series.</summary>
    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
            return "";
        var pairs = new List<KeyValuePair<string, object?>>(tags.Length);
        foreach (var tag in tags)
            pairs.Add(tag);
        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return string.Join(',', pairs.Select(p => $"{p.Key}=\"{EscapeLabel(Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "")}\""));
    }

    private static string With(string labels, string name, string value) =>
        labels.Length == 0 ? $"{name}=\"{value}\"" : $"{labels},{name}=\"{value}\"";

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string EscapeLabel(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public void Dispose() => _listener.Dispose();
}
