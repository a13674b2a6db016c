"""Sandbox control of returns. (Skeleton: the routes are being written.)"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/sandbox/api", tags=["Sandbox control"])
