# KpiStream's image: `docker build -t ghcr.io/kpistream/kpistream:0.1.0 .` (the chart's default image).
# Build stage: the .NET SDK restores and publishes the processor; schemas/ and config/ travel with it.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props KpiStream.sln ./
COPY schemas/ schemas/
COPY config/ config/
COPY src/ src/
RUN dotnet publish src/KpiStream.Processor/KpiStream.Processor.csproj -c Release -o /app --nologo

# Run stage: the ASP.NET Core runtime (the metrics endpoint is Kestrel), as a user without privileges. The root file
# system may be read-only: state goes to --state-dir (a volume) and temporary files to /tmp (a volume in the chart).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
USER 10001:10001
ENV DOTNET_EnableDiagnostics=0
EXPOSE 9464
ENTRYPOINT ["dotnet", "/app/kpistream.dll"]
CMD ["run", "--help"]
