namespace KpiStream.Processor.Conventions;

/// <summary>Prometheus metric and label names, defined once.</summary>
public static class MetricNames
{
    public const string RecordsConsumed = "kpistream_records_consumed_total";
    public const string RecordsProduced = "kpistream_records_produced_total";
    public const string RecordsDeadLettered = "kpistream_records_dead_lettered_total";
    public const string ProcessingLatency = "kpistream_processing_latency_seconds";
    public const string CommitLatency = "kpistream_commit_latency_seconds";
    public const string Commits = "kpistream_commits_total";
    public const string Aborts = "kpistream_transaction_aborts_total";
    public const string Rebalances = "kpistream_rebalances_total";
    public const string ConsumerErrors = "kpistream_consumer_errors_total";
    public const string InputPauses = "kpistream_input_pauses_total";
    public const string InputPausedTime = "kpistream_input_paused_seconds_total";
    public const string DependencyUnavailable = "kpistream_dependency_unavailable_total";
    public const string PartitionsWaiting = "kpistream_input_partitions_waiting";
    public const string RestoredRecords = "kpistream_restored_records_total";
    public const string RestoreTime = "kpistream_restore_seconds_total";
    public const string StoreEntries = "kpistream_state_store_entries";
    public const string ConsumerLag = "kpistream_consumer_lag_records";
    public const string AssignedTasks = "kpistream_assigned_tasks";
    public const string WindowsEmitted = "kpistream_windows_emitted_total";
    public const string EmitLatency = "kpistream_emit_latency_seconds";
    public const string LastWindowEmitted = "kpistream_last_window_emitted_timestamp_seconds";
    public const string LateRecords = "kpistream_late_records_total";
    public const string DuplicateRecords = "kpistream_duplicate_records_total";
    public const string LatePartials = "kpistream_late_partials_total";
    public const string UnattributedRequests = "kpistream_unattributed_requests_total";
    public const string SloBurnRate = "kpistream_slo_burn_rate";
    public const string SloErrorBudgetRemaining = "kpistream_slo_error_budget_remaining_ratio";
    public const string SloSli = "kpistream_slo_sli_ratio";
    public const string SloSeriesDropped = "kpistream_slo_series_dropped_total";
    public const string SloSegmentsNotJudged = "kpistream_slo_segments_not_judged_total";
    public const string SloSegmentTripsBelowFloor = "kpistream_slo_segment_trips_below_floor_total";
    public const string Alerts = "kpistream_alerts_total";
    public const string AlertsFiring = "kpistream_alerts_firing";
    public const string AlertDetectionDelay = "kpistream_alert_detection_delay_seconds";
    public const string ForwarderAlertsSent = "kpistream_forwarder_alerts_sent_total";
    public const string ForwarderSendFailures = "kpistream_forwarder_send_failures_total";
    public const string ForwarderLastAccepted = "kpistream_forwarder_last_accepted_timestamp_seconds";
    public const string ForwarderAlertsFiring = "kpistream_forwarder_alerts_firing";
    public const string ForwarderPendingResolutions = "kpistream_forwarder_pending_resolutions";
    public const string ForwarderResolutionsDropped = "kpistream_forwarder_resolutions_dropped_total";
    public const string ForwarderRecordsSkipped = "kpistream_forwarder_records_skipped_total";
    public const string StreamsState = "kpistream_streams_state";
    public const string Ready = "kpistream_ready";
    public const string JourneyMinute = "kpistream_journey_minute_timestamp_seconds";
    public const string JourneyAttempts = "kpistream_journey_attempts";
    public const string JourneySuccess = "kpistream_journey_success_ratio";
    public const string JourneyConversion = "kpistream_journey_conversion_ratio";
    public const string JourneyRequestErrors = "kpistream_journey_request_error_ratio";
    public const string JourneyLatencyP95 = "kpistream_journey_latency_p95_seconds";
    public const string JourneyRevenue = "kpistream_journey_revenue_minor";
    public const string IncidentsOpened = "kpistream_incidents_opened_total";
    public const string IncidentsOpen = "kpistream_incidents_open";
    public const string MeanTimeToDetect = "kpistream_mean_time_to_detect_seconds";

    // The process's own, under the names Prometheus client libraries share.
    public const string ProcessCpu = "process_cpu_seconds_total";
    public const string ProcessResidentMemory = "process_resident_memory_bytes";
    public const string ProcessVirtualMemory = "process_virtual_memory_bytes";
    public const string ProcessThreads = "process_num_threads";
    public const string ProcessOpenFds = "process_open_fds";
    public const string ProcessStartTime = "process_start_time_seconds";
    public const string DotnetHeap = "dotnet_total_memory_bytes";
    public const string DotnetCollections = "dotnet_collection_count_total";
    public const string DotnetGcPause = "dotnet_gc_pause_seconds_total";
    public const string DotnetAllocated = "dotnet_gc_allocated_bytes_total";

    public const string TopicLabel = "topic";
    public const string PartitionLabel = "partition";
    public const string ReasonLabel = "reason";
    public const string JourneyLabel = "journey";
    public const string CurrencyLabel = "currency";
    public const string AlertmanagerLabel = "alertmanager";
    public const string ServiceLabel = "service";
    public const string SegmentLabel = "segment";
    public const string SloLabel = "slo";
    public const string WindowLabel = "window";
    public const string SeverityLabel = "severity";
    public const string StateLabel = "state";
    public const string StoreLabel = "store";
    public const string GenerationLabel = "generation";
    public const string DependencyLabel = "dependency";
}
