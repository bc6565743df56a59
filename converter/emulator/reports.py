"""Plausible run, report and debug data derived from what was created (ShowReport, ShowHistoryRunInfo,
DebugCase, UpdateTaskStatus). Deterministic: the same case always yields the same figures."""

from __future__ import annotations

from typing import Any

from converter.emulator.state import Record
from converter.emulator.views import request_cards


def method_urls(case: Record) -> list[str]:
    """``name#METHOD#url`` for every request card of a case (RelatedTempRunningData.content_method_url)."""
    return [
        f"{c.get('name') or ''}#{c.get('method') or ''}#{c.get('url') or ''}"
        for c in request_cards(case.get("contents"))
    ]


def _load(case: Record) -> tuple[int, int]:
    """(max users, duration seconds) from the case's stages; (1, 60) without stages."""
    stages = [s for s in case.get("stages") or [] if isinstance(s, dict)]
    users = max((s.get("issue_num") or 0 for s in stages), default=0) or 1
    duration = sum(s.get("time") or 0 for s in stages) or 60
    return users, duration


def running_data(run: Record, case_run: Record, case: Record, status: int) -> dict[str, Any]:
    """One element of TaskInfo.related_temp_running_data (the example mixes the keys of tables 4-43 and 4-44)."""
    return {
        "task_run_info_id": run["id"],
        "related_temp_running_id": case_run["id"],
        "temp_id": case["id"],
        "temp_name": case["name"],
        "content_method_url": method_urls(case),
        "crawler_status": 0,
        "temp_running_status": status,
    }


def debug_results(contents: Any) -> list[dict[str, Any]]:
    """DebugCaseResult list (table 4-127): one successful exchange per request card."""
    results = []
    for i, card in enumerate(request_cards(contents)):
        url = str(card.get("url") or "")
        host = url.split("://", 1)[-1].split("/", 1)[0]
        results.append(
            {
                "body": "",
                "errorReason": "",
                "header": {"Connection": "keep-alive", "Content-Type": "application/json", "Host": host},
                "name": card.get("name") or "",
                "responseTime": 20 + i,
                "result": 1,
                "returnBody": "",
                "returnHeader": {
                    "Connection": "keep-alive",
                    "Content-Length": "0",
                    "Content-Type": "text/plain; charset=utf-8",
                    "Date": "Mon, 19 Sep 2022 07:29:46 GMT",
                    "Vary": "",
                },
                "statusCode": "200 OK",
                "url": f"{card.get('method') or ''} {url}",
            }
        )
    return results


def _detail(name: str, requests: int, users: int, case_run: Record) -> dict[str, Any]:
    """A DetailDataInfo / PerformanceInfo-like row (tables 4-185 / 4-186, main figures only)."""
    return {
        "averageRespTime": 12.5,
        "caseUri": str(case_run["id"]),
        "currentThreadNum": users,
        "errorCount": 0,
        "max": 40,
        "min": 10,
        "name": name,
        "requests": requests,
        "successCount": requests,
        "successRate": 100,
        "sum2xx": requests,
        "tp50": 12,
        "tp90": 13,
        "tp99": 24,
        "tps": round(requests / 60, 2),
        "testCaseUri": str(case_run["case_id"]),
    }


def report(run: Record, case_run: Record, case: Record, points: int) -> dict[str, Any]:
    """ReportInfo (table 4-177) for one case run: curves of ``points`` points, one detail row per request."""
    users, duration = _load(case)
    cards = request_cards(case.get("contents"))
    per_request = 10 * users
    total = per_request * max(len(cards), 1)
    points = max(1, min(points, 1000))
    flat = [float(total) / points] * points
    return {
        "brokens": {
            "brand_brokens": {"recBytes": [1024.0] * points, "sentBytes": [256.0] * points},
            "commonTimestamps": [str(run.get("start_epoch", 0) + i) for i in range(points)],
            "respcode_brokens": {
                "checkPointFailed": [0.0] * points,
                "error": [0.0] * points,
                "othersFailed": [0.0] * points,
                "parsedFailed": [0.0] * points,
                "refusedFailed": [0.0] * points,
                "success": flat,
                "timeout": [0.0] * points,
            },
            "tps_brokens": {"average": [12.5] * points, "tps": flat},
            "vusers_brokens": {"vusers": [float(users)] * points},
        },
        "details": {
            "data": [
                {
                    "customTransactions": [],
                    "detailDatas": [
                        _detail(str(c.get("name") or ""), per_request, users, case_run) for c in cards
                    ],
                    "performance": _detail(case["name"], total, users, case_run),
                }
            ],
            "pageIndex": 1,
            "pageSize": 5,
            "total": 1,
        },
        "outline": {
            "avgResponseTime": 12.5,
            "completeNum": 1,
            "duration": duration,
            "endTime": run.get("end_time") or "",
            "executedNum": 1,
            "maxUsers": users,
            "passNum": 1,
            "projectId": str(run["project_id"]),
            "startTime": run["start_time"],
            "successRate": 100,
            "taskStatus": run["status"],
            "totalNum": 1,
            "tps": round(total / duration, 2),
        },
        "rtproportion": None,
        "taskInfo": {"vum": users * max(duration // 60, 1)},
        "respTimeRange": {"0~50ms": f"100.0%({total})"},
    }


def history_entry(task: Record, run: Record, case_names: list[str]) -> dict[str, Any]:
    """HistoryRunInfo (table 4-192)."""
    return {
        "name": f"{task['name']}_{run['start_time']}",
        "run_id": run["id"],
        "run_type": 0,
        "start_time": run["start_time"],
        "end_time": run.get("end_time") or "",
        "continue_time": run.get("continue_time", 0),
        "temp_names": [{"name": n} for n in case_names],
        "parallel": task.get("parallel", False),
    }
