module kpistream/chart-render

go 1.19
