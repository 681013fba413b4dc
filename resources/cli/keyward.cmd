@echo off
rem keyward, shipped inside the desktop app: Keyward.exe runs the CLI as Node (ELECTRON_RUN_AS_NODE).
rem Installed at <install dir>\resources\cli\keyward.cmd; the app is <install dir>\Keyward.exe.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Keyward.exe" "%~dp0..\app.asar\bin\keyward.cjs" %*
